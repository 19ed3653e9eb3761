package io.orchestrationplane.policy.spi;

import org.jspecify.annotations.Nullable;

/**
 * Answers the CEL {@code authorizer} checks of a policy ({@code authorizer.group('apps').resource('deployments').check('delete')}).
 * Implementations must be thread-safe. The engine's default denies every check and says so in the reason.
 */
@FunctionalInterface
public interface Authorizer {
  /**
   * Decides whether {@code user} (with {@code groups}) may perform the check.
   *
   * @param check what is asked: a resource check or a non-resource path check
   */
  Decision authorize(String user, java.util.List<String> groups, Check check);

  /** A resource check ({@code path} null) or a non-resource path check (group/resource null). */
  record Check(@Nullable String verb, @Nullable String group, @Nullable String resource, @Nullable String subresource, @Nullable String namespace, @Nullable String name,
      @Nullable String path) {}

  /** The answer: allowed or not, why, and an error when the authorizer failed. */
  record Decision(boolean allowed, String reason, @Nullable String error) {
    public static Decision allow(String reason) { return new Decision(true, reason, null); }
    public static Decision deny(String reason) { return new Decision(false, reason, null); }
  }

  /** The default: denies everything, saying that no authorizer is configured. */
  static Authorizer denyAll() {
    return (user, groups, check) -> Decision.deny("no authorizer configured in the policy engine");
  }
}
