package io.orchestrationplane.core.release;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.plan.PolicyNotice;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One accepted change of an application, kept for history and rollback: immutable, numbered 1, 2,
 * 3... per application (a number is never reused, also after older revisions were pruned).
 *
 * <p>The {@link #digest()} identifies the rendered desired state: every object of every
 * environment on every cluster it was placed on, with Secret data and the values of sensitive
 * properties counted only as keyed digests. Applying the same desired state again makes no new
 * revision. The {@link #model()} is what the plane renders again on {@code rollback}; it is the
 * application as given, so it holds whatever secret values the application holds.
 * {@link #toString()} leaves it out; print {@link #describe()} or the history, never the model.
 *
 * @param application the application id, {@code <namespace>.<name>}
 * @param number the revision number, from 1
 * @param digest {@code sha256:<64 hex digits>} of the rendered desired state, secrets as keyed digests
 * @param source who, when and from what
 * @param policies the digest of the admission policy set the change passed, empty when the plane has none
 * @param notices what admission policies said without denying (warnings, audit records, mutations), as the plan showed them
 * @param model the application as applied
 */
public record Revision(String application, long number, String digest, RevisionSource source, String policies,
    List<PolicyNotice> notices, Application model) {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public Revision {
    Objects.requireNonNull(application, "application");
    if (number < 1) {
      throw new IllegalArgumentException("revision numbers start at 1, was " + number);
    }
    Objects.requireNonNull(digest, "digest");
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("a revision digest is sha256: and 64 hex digits");
    }
    Objects.requireNonNull(source, "source");
    policies = policies == null ? "" : policies;
    notices = List.copyOf(notices);
    Objects.requireNonNull(model, "model");
    if (!model.id().equals(application)) {
      throw new IllegalArgumentException("revision " + number + " of " + application + " holds the model of "
          + model.id());
    }
  }

  /** One line for history: {@code 3  sha256:1a2b3c4d5e6f  alice at 2026-... from code  (2 policy notices)}. */
  public String describe() {
    return number + "  " + digest.substring(0, 19) + "  " + source
        + (notices.isEmpty() ? "" : "  (" + notices.size() + " policy notice" + (notices.size() == 1 ? ")" : "s)"));
  }

  /** Everything but the model, which may hold secret values. */
  @Override
  public String toString() {
    return "Revision[" + application + " #" + number + ", " + digest + ", " + source + ", " + notices.size()
        + " notices]";
  }
}
