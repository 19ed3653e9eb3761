package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.access.AccessControl;
import io.orchestrationplane.core.access.Projects;
import io.orchestrationplane.core.admit.PolicyGate;
import io.orchestrationplane.core.apply.ExecutionStrategy;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.WritePermit;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.DiffSettings;
import io.orchestrationplane.core.plan.PruneBreaker;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a plane was built with, captured once by {@code OrchestrationPlane.Builder.build()}:
 * the builder is never read again, so changing it afterwards changes no plane. Immutable.
 *
 * @param kinds the kind catalogue, with the kinds the types declare watched and pruned
 * @param scheduler the caller's scheduler for continuous mode, or null for the plane's own
 * @param policies the admission gate, or null for none
 * @param stateStore where revisions are kept (the caller's, or the plane's own in-memory store)
 * @param revisionHistoryLimit how many revisions are kept per application
 * @param accessControl asked before every call of the facade ({@link AccessControl#allowAll()} by default)
 * @param projects the tenant fences, or null for none (every application in project {@code default}, unfenced)
 * @param pruneBreaker how much one change may delete (docs/safety.md, "The prune circuit breaker")
 */
public record PlaneSettings(ClusterRegistry clusters, Clock clock, TypeRegistry types, KindCatalog kinds,
    List<PlaneObserver> observers, int workers, @Nullable Scheduler scheduler, WorkQueue.Config queue, Duration resyncPeriod,
    Duration closeTimeout, boolean readinessGates, Duration progressDeadline, @Nullable PolicyGate policies, Redactor redactor,
    DiffSettings diff, boolean stopOnFirstFailure, WritePermit writePermit, int maxCorrections,
    Duration correctionWindow, Duration minCorrectionInterval, Subject subject, ExecutionStrategy strategy,
    StateStore stateStore, int revisionHistoryLimit, AccessControl accessControl, @Nullable Projects projects,
    PruneBreaker pruneBreaker) {
  public PlaneSettings {
    Objects.requireNonNull(clusters, "clusters");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(types, "types");
    Objects.requireNonNull(kinds, "kinds");
    observers = List.copyOf(observers);
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(resyncPeriod, "resyncPeriod");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    Objects.requireNonNull(progressDeadline, "progressDeadline");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(diff, "diff");
    Objects.requireNonNull(writePermit, "writePermit");
    Objects.requireNonNull(correctionWindow, "correctionWindow");
    Objects.requireNonNull(minCorrectionInterval, "minCorrectionInterval");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(stateStore, "stateStore");
    Objects.requireNonNull(accessControl, "accessControl");
    Objects.requireNonNull(pruneBreaker, "pruneBreaker");
    if (revisionHistoryLimit < 1) {
      throw new IllegalArgumentException("revisionHistoryLimit must be at least 1, was " + revisionHistoryLimit);
    }
  }

  /** Settings with the default prune circuit breaker. */
  public PlaneSettings(ClusterRegistry clusters, Clock clock, TypeRegistry types, KindCatalog kinds,
      List<PlaneObserver> observers, int workers, @Nullable Scheduler scheduler, WorkQueue.Config queue,
      Duration resyncPeriod, Duration closeTimeout, boolean readinessGates, Duration progressDeadline,
      @Nullable PolicyGate policies, Redactor redactor, DiffSettings diff, boolean stopOnFirstFailure,
      WritePermit writePermit, int maxCorrections, Duration correctionWindow, Duration minCorrectionInterval,
      Subject subject, ExecutionStrategy strategy, StateStore stateStore, int revisionHistoryLimit,
      AccessControl accessControl, @Nullable Projects projects) {
    this(clusters, clock, types, kinds, observers, workers, scheduler, queue, resyncPeriod, closeTimeout,
        readinessGates, progressDeadline, policies, redactor, diff, stopOnFirstFailure, writePermit, maxCorrections,
        correctionWindow, minCorrectionInterval, subject, strategy, stateStore, revisionHistoryLimit, accessControl,
        projects, PruneBreaker.defaults());
  }
}
