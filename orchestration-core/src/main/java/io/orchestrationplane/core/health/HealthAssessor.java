package io.orchestrationplane.core.health;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides the health of live objects of some kinds. Register implementations with
 * {@code HealthAssessors.builder().register(...)}; one registered for a kind replaces the
 * built-in one. Rule-based assessors (CEL health rules) are plain implementations of this
 * interface registered the same way.
 *
 * <p>{@link #assess} is only called for an object that exists and is not being deleted (the
 * registry answers those cases itself). It must not return null; an exception it throws becomes
 * {@code UNKNOWN} with the error, never a silent {@code HEALTHY}. Implementations are
 * stateless or thread-safe, and decide from the object alone (as Argo CD's health checks do):
 * the plane assesses an application's objects again only when one of them or the desired state
 * changes, so a verdict that depended on the clock or on other objects would go stale.
 *
 * <pre>{@code
 * HealthAssessor certs = HealthAssessor.of(new GroupKind("cert-manager.io", "Certificate"),
 *     live -> live.at("/status/conditions/0/status").asString("").equals("True")
 *         ? HealthStatus.healthy("certificate issued")
 *         : HealthStatus.progressing("waiting for the certificate"));
 * }</pre>
 */
public interface HealthAssessor {

  /** The group/kinds this assessor serves (every API version of each). Never empty. */
  Set<GroupKind> kinds();

  /** The health of one live object of a served kind. */
  HealthStatus assess(Resource live);

  /** An assessor for one group/kind from a function. */
  static HealthAssessor of(GroupKind kind, Function<Resource, HealthStatus> assess) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(assess, "assess");
    Set<GroupKind> kinds = Set.of(kind);
    return new HealthAssessor() {
      @Override
      public Set<GroupKind> kinds() {
        return kinds;
      }

      @Override
      public HealthStatus assess(Resource live) {
        return assess.apply(live);
      }

      @Override
      public String toString() {
        return "HealthAssessor[" + kind + "]";
      }
    };
  }
}
