package io.orchestrationplane.gitops.fleet;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.gitops.PruneGuard;
import io.orchestrationplane.gitops.SyncResult;
import io.orchestrationplane.gitops.SyncStatus;
import io.orchestrationplane.gitops.internal.DesiredSetSync;
import io.orchestrationplane.gitops.internal.Poller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of applications generated from a template (Argo CD's ApplicationSet): on each refresh the
 * {@link Generator} yields items, the {@link ApplicationTemplate} renders one application per item,
 * every application is validated by the plane, and the set is submitted to continuous mode;
 * applications whose item disappeared are removed through the {@link PruneGuard}.
 *
 * <pre>{@code
 * Fleet fleet = Fleet.builder("shop", plane)
 *     .generator(Generator.clusters(plane.clusters(), new LabelSelector(Map.of("tier", "prod"), List.of())))
 *     .template(ApplicationTemplate.yaml(shopTemplate))
 *     .build();
 * fleet.refresh();   // or fleet.start() to refresh every interval
 * }</pre>
 *
 * <p>All or nothing: when the generator fails (a registry or repository unreachable), an item
 * does not render, or two items render the same application, nothing is submitted or removed
 * and status says why. Thread-safe: refreshes are serialized. What it submitted is remembered in
 * memory only, so after a restart it removes nothing until it submitted again.
 */
public final class Fleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private final String name;
  private final OrchestrationPlane plane;
  private final Generator generator;
  private final ApplicationTemplate template;
  private final DesiredSetSync desired;
  private final Poller poller;
  private final @Nullable Scheduler ownScheduler;
  private @Nullable Instant lastSync;
  private @Nullable SyncResult last;
  private String message = "not refreshed yet";

  private Fleet(Builder b) {
    this.name = b.name;
    this.plane = b.plane;
    this.generator = Objects.requireNonNull(b.generator, "a fleet needs a generator");
    this.template = Objects.requireNonNull(b.template, "a fleet needs a template");
    this.desired = new DesiredSetSync(plane, b.subject == null ? Subject.of("fleet:" + b.name) : b.subject,
        b.driftPolicy, b.guard);
    this.ownScheduler = b.scheduler == null ? Scheduler.threaded("fleet-" + b.name) : null;
    this.poller = new Poller("fleet " + b.name, b.scheduler == null ? ownScheduler : b.scheduler, b.interval,
        this::refresh);
  }

  /** A builder of a fleet named {@code name} (a DNS label) on {@code plane}. */
  public static Builder builder(String name, OrchestrationPlane plane) {
    return new Builder(name, plane);
  }

  public String name() {
    return name;
  }

  /** Starts refreshing: now, then every interval. */
  public void start() {
    poller.start();
  }

  /** Generates, renders and submits now; removes what disappeared within the prune guard. */
  public SyncResult refresh() {
    return refresh(false);
  }

  /** {@link #refresh()}, removing what disappeared even beyond the prune guard: a person confirmed the prune. */
  public SyncResult refreshConfirmingPrune() {
    return refresh(true);
  }

  private synchronized SyncResult refresh(boolean confirmPrune) {
    lastSync = plane.clock().instant();
    SyncResult result;
    try {
      result = attempt(confirmPrune);
    } catch (RuntimeException e) {
      result = new SyncResult.Refused("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "; nothing was submitted or removed");
    }
    last = result;
    String before = message;
    message = result.describe();
    if (!message.equals(before)) {
      if (result instanceof SyncResult.Applied a && a.held().isEmpty() && a.failed().isEmpty()) {
        LOG.info("fleet {}: {}", name, message);
      } else {
        LOG.warn("fleet {}: {}", name, message);
      }
    }
    return result;
  }

  private SyncResult attempt(boolean confirmPrune) {
    List<Generator.Item> items;
    try {
      items = generator.generate();
    } catch (RuntimeException e) {
      return new SyncResult.Failed("the generator failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()) + "; nothing was submitted or removed");
    }
    Map<String, DesiredSetSync.Desired> apps = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Generator.Item item = items.get(i);
      String which = "item " + (i + 1) + " " + new java.util.TreeMap<>(item.parameters());
      try {
        Application app = plane.validate(template.render(item.parameters()));
        if (apps.putIfAbsent(app.id(), new DesiredSetSync.Desired(app, item.origin())) != null) {
          problems.add(which + ": renders application " + app.id() + " again (add a parameter to its name)");
        }
      } catch (ValidationException e) {
        List<String> each = new ArrayList<>();
        for (Problem p : e.problems()) {
          each.add((p.path().isEmpty() ? "" : p.path() + ": ") + p.message());
        }
        problems.add(which + ": " + String.join("; ", each));
      } catch (IllegalArgumentException e) {
        problems.add(which + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      return new SyncResult.Refused(String.join("; ", problems) + "; nothing was submitted or removed");
    }
    return desired.sync(apps, confirmPrune);
  }

  /** What the last refresh did and the applications owned. */
  public synchronized SyncStatus status() {
    return new SyncStatus(name, Optional.ofNullable(lastSync), Optional.ofNullable(last), Optional.empty(),
        Optional.empty(), desired.owned(), desired.held(), message);
  }

  /** Stops refreshing; the applications stay submitted. */
  @Override
  public void close() {
    poller.close();
    if (ownScheduler != null) {
      ownScheduler.close();
    }
  }

  /** Builds a {@link Fleet}. */
  public static final class Builder {
    private final String name;
    private final OrchestrationPlane plane;
    private @Nullable Generator generator;
    private @Nullable ApplicationTemplate template;
    private @Nullable Subject subject;
    private DriftPolicy driftPolicy = DriftPolicy.CORRECT;
    private PruneGuard guard = PruneGuard.defaults();
    private Duration interval = Duration.ofMinutes(3);
    private @Nullable Scheduler scheduler;

    private Builder(String name, OrchestrationPlane plane) {
      Objects.requireNonNull(name, "name");
      String problem = Names.dnsLabelProblem(name);
      if (problem != null) {
        throw new IllegalArgumentException("invalid fleet name: " + problem);
      }
      this.name = name;
      this.plane = Objects.requireNonNull(plane, "plane");
    }

    public Builder generator(Generator value) {
      this.generator = Objects.requireNonNull(value, "generator");
      return this;
    }

    public Builder template(ApplicationTemplate value) {
      this.template = Objects.requireNonNull(value, "template");
      return this;
    }

    /** Who the plane acts for; default {@code fleet:<name>}. */
    public Builder subject(Subject value) {
      this.subject = Objects.requireNonNull(value, "subject");
      return this;
    }

    public Builder driftPolicy(DriftPolicy value) {
      this.driftPolicy = Objects.requireNonNull(value, "driftPolicy");
      return this;
    }

    /** The prune circuit breaker; default {@link PruneGuard#defaults()}. */
    public Builder pruneGuard(PruneGuard value) {
      this.guard = Objects.requireNonNull(value, "pruneGuard");
      return this;
    }

    /** How often {@link #start() refreshing} runs; default 3 minutes. */
    public Builder interval(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("a refresh interval must be positive, was " + value);
      }
      this.interval = value;
      return this;
    }

    /** The scheduler refreshes run on (the plane's in tests); default a thread of its own. */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public Fleet build() {
      return new Fleet(this);
    }
  }
}
