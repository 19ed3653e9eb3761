package io.orchestrationplane.core.access;

/**
 * Decides whether a caller may call the plane: asked with the {@link
 * io.orchestrationplane.core.observe.Subject} of every call, the {@link Action} and the
 * application (and each environment it touches), before anything is read from or written to a
 * cluster. A refusal throws {@link AccessDeniedException}, reaches the plane's observers as a
 * {@code PlaneRecord.Refused} and writes nothing.
 *
 * <pre>{@code
 * OrchestrationPlane.builder()
 *     .accessControl(RbacPolicy.parse("""
 *         p, role:deployer, applications, sync, shop/*, allow
 *         g, alice, role:deployer
 *         """))
 *     ...
 * }</pre>
 *
 * <p>Implementations must be thread-safe and quick (every call asks, continuous mode's reconciles
 * do not: they act for whoever submitted), and must not throw: a failure to decide is a {@link
 * AccessDecision.Denied}. The default of a plane is {@link #allowAll()}.
 *
 * <p>Not the CEL {@code authorizer} of admission policies ({@code policy.spi.Authorizer}), which
 * answers questions about Kubernetes RBAC inside a policy.
 */
@FunctionalInterface
public interface AccessControl {
  /** Allows or denies {@code request}, saying why. */
  AccessDecision decide(AccessRequest request);

  /** Allows everything: what a plane built without {@code accessControl(...)} does. */
  static AccessControl allowAll() {
    return AllowAll.INSTANCE;
  }

  /** The access control of {@link #allowAll()}. */
  final class AllowAll implements AccessControl {
    private static final AllowAll INSTANCE = new AllowAll();
    private static final AccessDecision ALLOWED = AccessDecision.allowed("no access control configured");

    private AllowAll() {}

    @Override
    public AccessDecision decide(AccessRequest request) {
      return ALLOWED;
    }

    @Override
    public String toString() {
      return "AccessControl.allowAll()";
    }
  }
}
