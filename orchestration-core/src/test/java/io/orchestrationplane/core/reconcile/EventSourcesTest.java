package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventSourcesTest {
  private static final String APP_LABEL = "orchestrationplane.io/application";
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");

  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster cluster = InMemoryCluster.builder("dev").clock(clock).build();
  private final List<String> reconciled = new ArrayList<>();
  private final List<Controller<String>> controllers = new ArrayList<>();

  @AfterEach
  void close() {
    controllers.forEach(Controller::close);
    scheduler.close();
  }

  private Controller<String> start(Reconciler<String> reconciler, EventSource<String> source) {
    Controller<String> c = Controller.builder("sources-test", reconciler)
        .workers(0).clock(clock).scheduler(scheduler).eventSource(source).build();
    controllers.add(c);
    c.start();
    return c;
  }

  private Controller<String> start(EventSource<String> source) {
    return start((key, ctx) -> {
      reconciled.add(key);
      return Result.done();
    }, source);
  }

  private static Resource configMap(String namespace, String name, String app, String value) {
    Resource r = Resource.of("v1", "ConfigMap", namespace, name).edit(t -> t.putObject("data").put("v", value));
    return app == null ? r : r.withLabel(APP_LABEL, app);
  }

  private EventSource<String> ownershipWatch() {
    return EventSources.watch(cluster, List.of(CONFIG_MAP), EventSources.byLabel(APP_LABEL, app -> "app:" + app));
  }

  // ---- watch ----

  @Test
  void watchEventsMapThroughTheOwnershipLabelToApplicationKeys() {
    Controller<String> c = start(ownershipWatch());

    cluster.apply(configMap("shop", "api-config", "shop.api", "1"));
    cluster.apply(configMap("shop", "web-config", "shop.web", "1"));
    cluster.apply(configMap("shop", "unowned", null, "1"));
    c.runPending();

    assertThat(reconciled).containsExactly("app:shop.api", "app:shop.web");
  }

  @Test
  void objectsThatExistWhenTheWatchStartsAreQueuedToo() {
    cluster.apply(configMap("shop", "api-config", "shop.api", "1"));

    Controller<String> c = start(ownershipWatch());
    c.runPending();

    assertThat(reconciled).containsExactly("app:shop.api");
  }

  @Test
  void anOutOfBandDeleteQueuesTheOwner() {
    cluster.apply(configMap("shop", "api-config", "shop.api", "1"));
    Controller<String> c = start(ownershipWatch());
    c.runPending();

    cluster.delete(configMap("shop", "api-config", "shop.api", "1").key("dev"));
    c.runPending();

    assertThat(reconciled).containsExactly("app:shop.api", "app:shop.api");
  }

  @Test
  void theReconcilersOwnWritesCauseAtMostOneFollowUpRun() {
    AtomicInteger runs = new AtomicInteger();
    Controller<String> c = start((key, ctx) -> {
      runs.incrementAndGet();
      // Converging writes two objects; each write comes back as a watch event for this key.
      cluster.apply(configMap("shop", "a", "shop.api", "desired"));
      cluster.apply(configMap("shop", "b", "shop.api", "desired"));
      return Result.done();
    }, ownershipWatch());
    c.enqueue("app:shop.api");

    int ran = c.runPending();

    assertThat(ran).as("one run, one coalesced follow-up that finds nothing to write").isEqualTo(2);
    assertThat(runs).hasValue(2);
    assertThat(cluster.stats().writes()).isEqualTo(2);
  }

  @Test
  void aRegistryWatchSeesEveryClusterAndTellsTheMapperWhichOneChanged() {
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    ClusterRegistry clusters = ClusterRegistry.of(cluster, prod);
    Controller<String> c = start(EventSources.watch(clusters, List.of(CONFIG_MAP),
        event -> List.of(event.cluster() + "/" + event.resource().label(APP_LABEL))));

    cluster.apply(configMap("shop", "a", "shop.api", "1"));
    prod.apply(configMap("shop", "a", "shop.api", "1"));
    c.runPending();

    assertThat(reconciled).containsExactly("dev/shop.api", "prod/shop.api");
  }

  @Test
  void aMapperThatThrowsSkipsThatEventOnly() {
    Controller<String> c = start(EventSources.watch(cluster, List.of(CONFIG_MAP), event -> {
      if (event.resource().name().equals("poison")) {
        throw new IllegalArgumentException("bad label (expected by the test)");
      }
      return List.of(event.resource().name());
    }));

    cluster.apply(configMap("ns", "poison", null, "1"));
    cluster.apply(configMap("ns", "fine", null, "1"));
    c.runPending();

    assertThat(reconciled).containsExactly("fine");
  }

  @Test
  void aClosedWatchSourceQueuesNothingMore() {
    RecordingContext context = new RecordingContext();
    EventSource<String> source = ownershipWatch();
    source.start(context);
    cluster.apply(configMap("shop", "a", "shop.api", "1"));

    source.close();
    cluster.apply(configMap("shop", "b", "shop.web", "1"));

    assertThat(context.queued).containsExactly("app:shop.api");
  }

  // ---- resync ----

  @Test
  void advancingTheClockByTenMinutesGivesExactlyOneResync() {
    Controller<String> c = start(EventSources.resync(() -> List.of("a", "b")));

    clock.advance(Duration.ofMinutes(10));
    c.runPending();

    assertThat(reconciled).containsExactly("a", "b");
  }

  @Test
  void noResyncComesBeforeNineTenthsOfThePeriod() {
    Controller<String> c = start(EventSources.resync(() -> List.of("a")));

    clock.advance(Duration.ofMinutes(9));
    assertThat(c.runPending()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(c.runPending()).isEqualTo(1);
  }

  @Test
  void resyncsComeOncePerPeriodWithJitterThatOnlyShortensTheInterval() {
    List<Instant> at = new ArrayList<>();
    Controller<String> c = start((key, ctx) -> {
      at.add(ctx.clock().instant());
      return Result.done();
    }, EventSources.resync(() -> List.of("a")));
    Instant start = clock.instant();

    for (int second = 0; second < 30 * 60; second++) {
      clock.advance(Duration.ofSeconds(1));
      c.runPending();
    }

    assertThat(at).hasSize(3);
    Instant previous = start;
    for (Instant t : at) {
      assertThat(Duration.between(previous, t))
          .isGreaterThan(Duration.ofMinutes(9))
          .isLessThanOrEqualTo(Duration.ofMinutes(10).plusSeconds(1));
      previous = t;
    }
  }

  @Test
  void theSameSeedGivesTheSameResyncTimes() {
    assertThat(resyncTimes(new Random(7))).isEqualTo(resyncTimes(new Random(7)));
  }

  private List<Instant> resyncTimes(Random random) {
    ManualClock own = ManualClock.create();
    RecordingContext context = new RecordingContext(own, Scheduler.manual(own));
    EventSource<String> source = EventSources.resync(Duration.ofMinutes(1), 0.5, random, () -> List.of("k"));
    source.start(context);
    for (int s = 0; s < 10 * 60; s++) {
      own.advance(Duration.ofSeconds(1));
    }
    source.close();
    context.scheduler().close();
    return context.queuedAt;
  }

  @Test
  void aFailingKeyListingIsRetriedAtTheNextPeriod() {
    AtomicInteger listings = new AtomicInteger();
    Controller<String> c = start(EventSources.resync(Duration.ofMinutes(1), 0, new Random(1), () -> {
      if (listings.incrementAndGet() == 1) {
        throw new IllegalStateException("store unavailable (expected by the test)");
      }
      return List.of("a");
    }));

    clock.advance(Duration.ofMinutes(1));
    c.runPending();
    clock.advance(Duration.ofMinutes(1));
    c.runPending();

    assertThat(reconciled).containsExactly("a");
  }

  @Test
  void resyncRejectsBadPeriodAndJitter() {
    assertThatThrownBy(() -> EventSources.resync(Duration.ZERO, () -> List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("resync period must be positive, was PT0S");
    assertThatThrownBy(() -> EventSources.resync(Duration.ofMinutes(1), 1.0, new Random(), () -> List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("resync jitter must be in [0, 1), was 1.0");
  }

  @Test
  void closingTheControllerStopsTheResync() {
    AtomicInteger listings = new AtomicInteger();
    Controller<String> c = start(EventSources.resync(() -> {
      listings.incrementAndGet();
      return List.of("a");
    }));

    c.close();
    clock.advance(Duration.ofHours(1));

    assertThat(listings).hasValue(0);
  }

  // ---- manual ----

  @Test
  void aManualTriggerQueuesKeysOnlyWhileStarted() {
    ManualTrigger<String> trigger = EventSources.manual();
    assertThat(trigger.trigger("early")).isFalse();
    Controller<String> c = start(trigger);

    assertThat(trigger.triggerAll(List.of("a", "b", "a"))).isEqualTo(3);
    c.runPending();
    c.close();

    assertThat(reconciled).containsExactly("a", "b");
    assertThat(trigger.trigger("late")).isFalse();
  }

  @Test
  void aManualTriggerBelongsToOneController() {
    ManualTrigger<String> trigger = EventSources.manual();
    start(trigger);

    assertThatThrownBy(() -> trigger.start(new RecordingContext()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("one controller");
  }

  /** An event source context that records what a source queues, for testing sources alone. */
  private final class RecordingContext implements EventSource.Context<String> {
    final List<String> queued = new ArrayList<>();
    final List<Instant> queuedAt = new ArrayList<>();
    private final Clock ownClock;
    private final Scheduler ownScheduler;

    RecordingContext() {
      this(clock, scheduler);
    }

    RecordingContext(Clock clock, Scheduler scheduler) {
      this.ownClock = clock;
      this.ownScheduler = scheduler;
    }

    @Override
    public String controllerName() {
      return "recording";
    }

    @Override
    public Clock clock() {
      return ownClock;
    }

    @Override
    public Scheduler scheduler() {
      return ownScheduler;
    }

    @Override
    public boolean enqueue(String key) {
      queued.add(key);
      queuedAt.add(ownClock.instant());
      return true;
    }

    @Override
    public boolean enqueueAfter(String key, Duration delay) {
      return enqueue(key);
    }
  }
}
