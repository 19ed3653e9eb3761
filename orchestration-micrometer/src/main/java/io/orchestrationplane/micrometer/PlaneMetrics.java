package io.orchestrationplane.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.micrometer.internal.CountingDriver;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The plane's metrics on a Micrometer {@link MeterRegistry}, under controller-runtime's names so
 * that dashboards made for Kubernetes controllers work unchanged (on a Prometheus registry):
 *
 * <ul>
 *   <li>{@code controller_runtime_reconcile_total{controller, result}} (result {@code success},
 *       {@code error}, {@code requeue}, {@code requeue_after}), {@code
 *       controller_runtime_reconcile_errors_total{controller}}, {@code
 *       controller_runtime_terminal_reconcile_errors_total{controller}}, {@code
 *       controller_runtime_reconcile_time_seconds{controller}} (histogram, controller-runtime's buckets);</li>
 *   <li>{@code workqueue_depth}, {@code workqueue_adds_total}, {@code workqueue_retries_total},
 *       {@code workqueue_queue_duration_seconds}, {@code workqueue_work_duration_seconds}
 *       (histograms, client-go's buckets), each tagged {@code name} and {@code controller};</li>
 *   <li>the plane's own: {@code orchestration_plane_writes_total{group, kind, result}}, {@code
 *       orchestration_plane_drift_corrected_total}, {@code
 *       orchestration_plane_policy_denials_total{policy}}, {@code
 *       orchestration_plane_applications{phase}} ({@link #bindApplications}), {@code
 *       orchestration_plane_workflow_step_duration_seconds{step_type, outcome}} (histogram, 1 s to 7 days;
 *       outcome {@code succeeded}, {@code failed}, {@code timed_out}, {@code cancelled}), {@code
 *       orchestration_plane_api_requests_total{cluster, operation, outcome}} ({@link #instrument})
 *       and {@code orchestration_plane_circuit_breaker_state{cluster, state}} ({@link #bindCircuitBreaker}).</li>
 * </ul>
 *
 * <pre>{@code
 * PlaneMetrics metrics = PlaneMetrics.create(registry);
 * OrchestrationPlane plane = OrchestrationPlane.builder().cluster(metrics.instrument(prod)).observer(metrics).build();
 * metrics.bindApplications(plane::statuses);
 * }</pre>
 *
 * Thread-safe; meters are created on first use and cached.
 */
public final class PlaneMetrics implements PlaneObserver {
  /** controller-runtime's reconcile_time_seconds buckets. */
  static final double[] RECONCILE_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45,
      0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30,
      40, 50, 60};
  /** client-go's workqueue duration buckets: 10 ns to 1000 s, factor 10. */
  static final double[] QUEUE_BUCKETS = {1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000};
  /** Workflow steps last from a second (a check) to days (an approval, a closed window): 1 s to 7 days. */
  static final double[] STEP_BUCKETS = {1, 5, 15, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400, 172800,
      604800};

  private final MeterRegistry registry;
  private final Map<Object, Counter> counters = new ConcurrentHashMap<>();
  private final Map<Object, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> depths = new ConcurrentHashMap<>();
  private final Set<String> clustersBound = ConcurrentHashMap.newKeySet();

  private PlaneMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Metrics on {@code registry}; add the result as an observer of the plane. */
  public static PlaneMetrics create(MeterRegistry registry) {
    return new PlaneMetrics(registry);
  }

  /** The registry the metrics are on. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void observe(PlaneRecord record) {
    if (record instanceof PlaneRecord.Reconciled r) {
      reconciled(r);
    } else if (record instanceof PlaneRecord.Queued q) {
      queued(q);
    } else if (record instanceof PlaneRecord.StepFinished f) {
      timer("orchestration_plane_workflow_step_duration",
          "How long release management workflow steps took, from their first attempt to their end, by type and outcome",
          Tags.of("step_type", f.stepType(), "outcome", f.outcome().name().toLowerCase(Locale.ROOT)), STEP_BUCKETS)
          .record(f.duration());
    } else if (record instanceof PlaneRecord.Written w) {
      counter("orchestration_plane_writes", "Writes of objects by the plane, by kind and result",
          Tags.of("group", w.key().group(), "kind", w.key().kind(), "result", result(w.result()))).increment();
    } else if (record instanceof PlaneRecord.Denied d) {
      if (d.denials().isEmpty()) {
        counter("orchestration_plane_policy_denials", "Writes denied by admission policies, by policy",
            Tags.of("policy", "unknown")).increment(d.violations().size());
      }
      for (PolicyNotice n : d.denials()) {
        counter("orchestration_plane_policy_denials", "Writes denied by admission policies, by policy",
            Tags.of("policy", n.policy())).increment();
      }
    } else if (record instanceof PlaneEvent e && e.type() == PlaneEvent.Type.DRIFT_CORRECTED) {
      counter("orchestration_plane_drift_corrected", "Drift corrections written back to the desired state",
          Tags.empty()).increment();
    }
  }

  private void reconciled(PlaneRecord.Reconciled r) {
    Tags controller = Tags.of("controller", r.controller());
    String result = switch (r.result()) {
      case SUCCESS -> "success";
      case REQUEUE -> "requeue";
      case REQUEUE_AFTER -> "requeue_after";
      case ERROR, TERMINAL_ERROR -> "error";
    };
    counter("controller_runtime_reconcile", "Total number of reconciliations per controller",
        controller.and("result", result)).increment();
    if (r.result() == PlaneRecord.Reconciled.Result.ERROR || r.result() == PlaneRecord.Reconciled.Result.TERMINAL_ERROR) {
      counter("controller_runtime_reconcile_errors", "Total number of reconciliation errors per controller",
          controller).increment();
    }
    if (r.result() == PlaneRecord.Reconciled.Result.TERMINAL_ERROR) {
      counter("controller_runtime_terminal_reconcile_errors",
          "Total number of terminal reconciliation errors per controller", controller).increment();
    }
    timer("controller_runtime_reconcile_time", "Length of time per reconciliation per controller", controller,
        RECONCILE_BUCKETS).record(r.duration());
  }

  private void queued(PlaneRecord.Queued q) {
    Tags tags = Tags.of("name", q.queue(), "controller", q.queue());
    AtomicInteger depth = depths.computeIfAbsent(q.queue(), name -> {
      AtomicInteger d = new AtomicInteger();
      Gauge.builder("workqueue_depth", d, AtomicInteger::get).description("Current depth of workqueue").tags(tags)
          .register(registry);
      return d;
    });
    switch (q.activity()) {
      case ADDED -> {
        depth.set(q.depth());
        counter("workqueue_adds", "Total number of adds handled by workqueue", tags).increment();
      }
      case HANDED_OUT -> {
        depth.set(q.depth());
        timer("workqueue_queue_duration", "How long in seconds an item stays in workqueue before being requested",
            tags, QUEUE_BUCKETS).record(q.duration());
      }
      case DONE -> timer("workqueue_work_duration", "How long in seconds processing an item from workqueue takes",
          tags, QUEUE_BUCKETS).record(q.duration());
      case RETRIED -> counter("workqueue_retries", "Total number of retries handled by workqueue", tags).increment();
      default -> { }
    }
  }

  private static String result(WriteResult w) {
    String simple = w.getClass().getSimpleName();
    return simple.toLowerCase(Locale.ROOT);
  }

  private Counter counter(String name, String help, Tags tags) {
    return counters.computeIfAbsent(List.of(name, tags), k -> Counter.builder(name).description(help).tags(tags)
        .register(registry));
  }

  private Timer timer(String name, String help, Tags tags, double[] bucketsSeconds) {
    return timers.computeIfAbsent(List.of(name, tags), k -> Timer.builder(name).description(help).tags(tags)
        .serviceLevelObjectives(Arrays.stream(bucketsSeconds).mapToObj(PlaneMetrics::seconds).toArray(Duration[]::new))
        .register(registry));
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  // ---- what no record carries: read on scrape

  /**
   * {@code orchestration_plane_applications{phase}}: how many applications are in each phase,
   * read from {@code statuses} (say {@code plane::statuses}) when the registry is scraped.
   */
  public PlaneMetrics bindApplications(Supplier<Map<String, ApplicationStatus>> statuses) {
    Objects.requireNonNull(statuses, "statuses");
    for (Phase phase : Phase.values()) {
      Gauge.builder("orchestration_plane_applications", statuses,
              s -> s.get().values().stream().filter(a -> a.phase() == phase).count())
          // held strongly: a gauge keeps its object weakly, and a method reference such as
          // plane::statuses has no other holder, so a collection made the gauge read NaN
          .strongReference(true)
          .description("Applications submitted to the plane, by phase")
          .tags("phase", phase.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    return this;
  }

  /**
   * {@code orchestration_plane_circuit_breaker_state{cluster, state}}: 1 for the state {@code
   * state} reads now, 0 for the others of its enum (as resilience4j's own gauge), e.g. {@code
   * bindCircuitBreaker("prod", prodCluster::circuitState)} for a Kubernetes cluster.
   */
  public <E extends Enum<E>> PlaneMetrics bindCircuitBreaker(String cluster, Supplier<E> state) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(state, "state");
    if (!clustersBound.add(cluster)) {
      throw new IllegalArgumentException("the circuit breaker of cluster " + cluster + " is bound already");
    }
    E now = Objects.requireNonNull(state.get(), "state");
    for (E constant : now.getDeclaringClass().getEnumConstants()) {
      Gauge.builder("orchestration_plane_circuit_breaker_state", state, s -> s.get() == constant ? 1 : 0)
          .strongReference(true) // as above: the supplier has no other holder
          .description("The state of the circuit breaker of each cluster: 1 for the current one")
          .tags("cluster", cluster, "state", constant.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    return this;
  }

  /**
   * {@code driver}, counting each call in {@code orchestration_plane_api_requests_total{cluster,
   * operation, outcome}} (operation {@code get}, {@code list}, {@code create}, {@code apply},
   * {@code update}, {@code dry_run_apply}, {@code update_status}, {@code delete}, {@code watch};
   * outcome {@code success} or the lower-cased {@code ClusterException.Reason}). Register the
   * returned driver with the plane.
   */
  public ClusterDriver instrument(ClusterDriver driver) {
    Function<Tags, Counter> requests = tags -> counter("orchestration_plane_api_requests",
        "Requests of the plane to cluster APIs, by cluster, operation and outcome", tags);
    return new CountingDriver(driver, requests);
  }

  @Override
  public String toString() {
    return "PlaneMetrics[" + registry.getClass().getSimpleName() + "]";
  }
}
