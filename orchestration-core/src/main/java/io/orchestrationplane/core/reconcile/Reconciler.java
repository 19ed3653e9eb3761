package io.orchestrationplane.core.reconcile;

import java.time.Clock;

/**
 * A control loop's body: brings the world for one key to its desired state. Run by a {@code
 * Controller} on its workers; never called for the same key on two threads at once, so a
 * reconciler may keep per-key state without locks (state shared across keys still needs care).
 *
 * <p>Make it idempotent and level-based: read the desired and the live state, change only what
 * differs, and return a {@link Result}. Throwing is allowed: the controller logs it and retries
 * with backoff. Writes the reconciler itself causes usually come back as watch events; they
 * coalesce into at most one follow-up run, which should find nothing to do.
 *
 * <pre>{@code
 * Reconciler<String> teams = (team, ctx) -> {
 *   cluster.apply(namespaceFor(team));
 *   return Result.done();
 * };
 * }</pre>
 *
 * @param <T> the key type, e.g. an application's {@code namespace.name}
 */
@FunctionalInterface
public interface Reconciler<T> {

  /** Reconciles {@code key}. */
  Result reconcile(T key, Context context) throws Exception;

  /** What the runtime tells a reconcile about itself. */
  interface Context {
    /** The controller's name. */
    String controllerName();

    /** 1 for a first try, n + 1 after n consecutive failures of this key. */
    int attempt();

    /** The controller's clock: the only time a reconciler should read. */
    Clock clock();
  }
}
