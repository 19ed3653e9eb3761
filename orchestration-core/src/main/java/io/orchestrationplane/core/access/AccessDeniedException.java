package io.orchestrationplane.core.access;

import java.util.Objects;

/**
 * {@link AccessControl} refused a call: nothing was read from or written to a cluster. The message
 * names the subject, the action, the application (and environment) with its project, and the
 * reason, e.g. {@code alice [dev] may not sync application shop.checkout, environment prod, in
 * project shop (applications, sync, shop/shop/checkout/prod): no policy line allows it; nothing
 * was written}.
 */
public class AccessDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient AccessRequest request;
  private final String reason;

  public AccessDeniedException(AccessRequest request, String reason) {
    super(message(request, reason));
    this.request = Objects.requireNonNull(request, "request");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private static String message(AccessRequest r, String reason) {
    return r.subject() + " may not " + r.action().policyName() + " application " + r.application()
        + (r.environment() == null ? "" : ", environment " + r.environment()) + ", in project " + r.project()
        + " (" + r.describe() + "): " + reason + "; nothing was written";
  }

  /** The refused request. */
  public AccessRequest request() {
    return request;
  }

  /** Why it was refused (the deciding policy line, or that none allowed it). */
  public String reason() {
    return reason;
  }
}
