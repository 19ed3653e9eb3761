package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.ForwardingClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Operator mode, deterministically, with Application objects in an in-memory cluster. */
class ApplicationOperatorTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster ops = InMemoryCluster.builder("ops").clock(clock).build();
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock).scheduler(scheduler).workers(0).cluster(ops).build();
  private final ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build();

  static final ResourceKey APP = ResourceKey.of("ops", ApplicationCrd.GROUP, ApplicationCrd.KIND, "team-a", "settings");
  static final ResourceKey CONFIG = ResourceKey.of("ops", "", "ConfigMap", "team-a", "app-config");

  static String application(String mode) {
    return """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: settings, namespace: team-a}
        spec:
          components:
            - name: config
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: app-config}
                    data: {mode: %s}
        """.formatted(mode);
  }

  @AfterEach
  void close() {
    operator.close();
    plane.close();
    scheduler.close();
  }

  @Test
  void anApplicationObjectIsReconciledAndItsStatusWritten() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")));
    plane.runPending();

    assertThat(ops.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("fast");
    Resource object = ops.get(APP).orElseThrow();
    assertThat(object.at("/status/phase").asString()).isEqualTo("READY");
    assertThat(object.at("/status/observedGeneration").asLong()).isEqualTo(1);
    assertThat(object.at("/status/conditions/0/type").asString()).isEqualTo("Ready");
    assertThat(object.at("/status/conditions/0/status").asString()).isEqualTo("True");
    assertThat(object.at("/status/resources/0/name").asString()).isEqualTo("app-config");
    assertThat(object.at("/status/resources/0/health").asString()).isEqualTo("HEALTHY");
  }

  /**
   * The reconcile of a submitted application may finish, and announce its status, before {@code
   * submit} returns to the operator (a busy machine preempts the thread that submitted): here the
   * plane reconciles inside {@code submit}, as soon as the application is queued. Its status is
   * written all the same, for a new object and for an edited one.
   */
  @Test
  void aStatusAnnouncedBeforeSubmitReturnsIsWritten() {
    ManualClock c = ManualClock.create();
    InMemoryCluster cluster = InMemoryCluster.builder("ops").clock(c).build();
    java.util.concurrent.atomic.AtomicReference<OrchestrationPlane> self = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean reconciling = new java.util.concurrent.atomic.AtomicBoolean();
    try (Scheduler s = Scheduler.manual(c);
        OrchestrationPlane eager = OrchestrationPlane.builder().clock(c).scheduler(s).workers(0).cluster(cluster)
            .observer(r -> {
              if (r instanceof io.orchestrationplane.core.observe.PlaneRecord.Queued q
                  && q.activity() == io.orchestrationplane.core.observe.PlaneRecord.Queued.Activity.ADDED
                  && reconciling.compareAndSet(false, true)) {
                try {
                  self.get().runPending(); // the reconcile wins the race against submit's return
                } finally {
                  reconciling.set(false);
                }
              }
            })
            .build();
        ApplicationOperator op = ApplicationOperator.builder(eager, cluster).build()) {
      self.set(eager);
      op.start();
      eager.start();

      cluster.apply(Resource.fromYaml(application("fast")));
      assertThat(cluster.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("fast");
      Resource object = cluster.get(APP).orElseThrow();
      assertThat(object.at("/status/phase").asString()).isEqualTo("READY");
      assertThat(object.at("/status/observedGeneration").asLong()).isEqualTo(1);

      cluster.apply(Resource.fromYaml(application("safe")));
      assertThat(cluster.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("safe");
      assertThat(cluster.get(APP).orElseThrow().at("/status/observedGeneration").asLong()).isEqualTo(2);
    }
  }

  @Test
  void anEditedSpecIsAppliedAndADeletedObjectPruned() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")));
    plane.runPending();
    long statusWrites = ops.stats().statusUpdates();
    plane.runPending();
    assertThat(ops.stats().statusUpdates()).as("no status write without a status change").isEqualTo(statusWrites);

    ops.apply(Resource.fromYaml(application("safe")));
    plane.runPending();
    assertThat(ops.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("safe");
    assertThat(ops.get(APP).orElseThrow().at("/status/observedGeneration").asLong()).isEqualTo(2);

    ops.delete(APP);
    plane.runPending();
    assertThat(ops.get(CONFIG)).isEmpty();
    assertThat(plane.statuses()).isEmpty();
  }

  @Test
  void aSpecThatTurnsInvalidKeepsTheLastValidApplicationAndItsInvalidStatus() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")));
    plane.runPending();
    ops.apply(Resource.fromYaml(application("fast")).edit(t ->
        ((ObjectNode) t.at("/spec/components/0")).put("type", "postgres")));
    plane.runPending();
    String since = ops.get(APP).orElseThrow().at("/status/conditions/1/lastTransitionTime").asString();
    ops.delete(CONFIG); // the plane restores it (the last valid application stays applied) ...
    clock.advance(java.time.Duration.ofMinutes(1));
    plane.runPending();
    assertThat(ops.get(CONFIG)).isPresent();
    Resource object = ops.get(APP).orElseThrow(); // ... and its status change does not hide the InvalidSpec status
    assertThat(object.at("/status/phase").asString()).isEqualTo("DEGRADED");
    assertThat(object.at("/status/conditions/1/reason").asString()).isEqualTo("InvalidSpec");
    assertThat(object.at("/status/conditions/1/lastTransitionTime").asString()).isEqualTo(since);

    long statusWrites = ops.stats().statusUpdates();
    ops.apply(Resource.fromYaml(application("fast")).edit(t -> ((ObjectNode) t.at("/spec/components/0"))
        .put("type", "postgres")).withLabel("touched", "yes")); // still invalid, a minute later
    assertThat(ops.get(APP).orElseThrow().at("/status/conditions/1/lastTransitionTime").asString()).isEqualTo(since);
    assertThat(ops.stats().statusUpdates()).as("same status: not written again").isEqualTo(statusWrites);
  }

  @Test
  void anInvalidSpecIsNotSubmittedAndTheStatusSaysWhy() {
    operator.start();
    plane.start();
    Resource broken = Resource.fromYaml(application("fast")).edit(t ->
        ((ObjectNode) t.at("/spec/components/0")).put("type", "postgres"));
    ops.apply(broken);
    plane.runPending();
    Resource object = ops.get(APP).orElseThrow();
    assertThat(object.at("/status/phase").asString()).isEqualTo("DEGRADED");
    assertThat(object.at("/status/conditions/1/reason").asString()).isEqualTo("InvalidSpec");
    assertThat(object.at("/status/lastError").asString())
        .contains("spec.components[0].type: unknown component type 'postgres'");
    assertThat(plane.statuses()).isEmpty();
  }

  /** {@code ops}, whose writes to Application objects (update, status) fail while {@code failing} is set. */
  private static ClusterDriver failingWrites(InMemoryCluster cluster, AtomicBoolean failing, AtomicInteger attempts) {
    return new ForwardingClusterDriver(cluster) {
      @Override
      public Resource update(Resource object) {
        fail(object);
        return super.update(object);
      }

      @Override
      public Resource updateStatus(Resource withStatus) {
        fail(withStatus);
        return super.updateStatus(withStatus);
      }

      private void fail(Resource object) {
        if (object.kind().equals(ApplicationCrd.KIND)) {
          attempts.incrementAndGet();
          if (failing.get()) {
            throw new ClusterException(cluster.name(), ClusterException.Reason.SERVER_ERROR,
                "write of " + object + " on cluster ops: HTTP 503 etcdserver: request timed out", null, null);
          }
        }
      }
    };
  }

  @Test
  void aStatusWriteThatFailedIsMadeAgainWithBackoffUntilItIsWritten() {
    AtomicBoolean failing = new AtomicBoolean();
    AtomicInteger attempts = new AtomicInteger();
    try (ApplicationOperator op = ApplicationOperator.builder(plane, failingWrites(ops, failing, attempts))
        .scheduler(scheduler).events(false).build()) {
      op.start();
      plane.start();
      ops.apply(Resource.fromYaml(application("fast"))); // its finalizer is added
      failing.set(true);
      plane.runPending();
      assertThat(plane.statuses().get("team-a.settings").phase()).isEqualTo(Phase.READY);
      assertThat(ops.get(APP).orElseThrow().json().has("status")).isFalse();
      int failed = attempts.get();

      clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
      assertThat(attempts.get()).as("first retry").isEqualTo(failed + 1);
      clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
      assertThat(attempts.get()).as("the wait doubled").isEqualTo(failed + 1);
      clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
      assertThat(attempts.get()).as("second retry").isEqualTo(failed + 2);

      failing.set(false); // nothing else changes: the plane announces no status that would write it
      clock.advance(Duration.ofSeconds(4L * ApplicationOperator.FIRST_RETRY_SECONDS));
      Resource object = ops.get(APP).orElseThrow();
      assertThat(object.at("/status/phase").asString()).isEqualTo("READY");
      assertThat(object.at("/status/resources/0/sync").asString()).isEqualTo("in sync");

      int written = attempts.get();
      clock.advance(Duration.ofSeconds(10L * ApplicationOperator.MAX_RETRY_SECONDS));
      assertThat(attempts.get()).as("no retry once written").isEqualTo(written);
    }
  }

  @Test
  void aFinalizerThatCouldNotBeAddedOrRemovedIsRetriedWithoutAnotherEditOfTheObject() {
    AtomicBoolean failing = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    try (ApplicationOperator op = ApplicationOperator.builder(plane, failingWrites(ops, failing, attempts))
        .scheduler(scheduler).events(false).build()) {
      op.start();
      plane.start();
      ops.apply(Resource.fromYaml(application("fast")));
      plane.runPending();
      assertThat(ops.get(CONFIG)).as("not submitted without its finalizer").isEmpty();

      failing.set(false);
      clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
      plane.runPending();
      assertThat(ops.get(CONFIG)).isPresent();
      assertThat(ops.get(APP).orElseThrow().at("/status/phase").asString()).isEqualTo("READY");

      failing.set(true);
      ops.delete(APP);
      plane.runPending();
      assertThat(ops.get(CONFIG)).as("pruned").isEmpty();
      assertThat(ops.get(APP)).as("held by the finalizer that could not be removed").isPresent();

      failing.set(false);
      clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
      assertThat(ops.get(APP)).isEmpty();
    }
  }

  @Test
  void anObjectDeletedWhileTheOperatorWasDownIsPrunedEvenWhenItsSpecNoLongerDecodes() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")));
    plane.runPending();
    assertThat(ops.get(CONFIG)).isPresent();
    operator.close();
    plane.close();

    Resource object = ops.get(APP).orElseThrow();
    ops.update(object.edit(t -> ((ObjectNode) t).putObject("spec").putArray("components").addObject()
        .put("name", "config"))); // no type: the codec refuses it
    ops.delete(APP);

    try (OrchestrationPlane restarted = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(ops).build();
        ApplicationOperator op = ApplicationOperator.builder(restarted, ops).scheduler(scheduler).build()) {
      op.start();
      restarted.start();
      restarted.runPending();
      assertThat(ops.get(CONFIG)).as("pruned through the inventory").isEmpty();
      assertThat(ops.get(APP)).as("released once pruned").isEmpty();
    }
  }

  /**
   * An Application rendering an object another Application already owns is refused by the
   * plane's submit, not by its validation: its status says so, naming both, and it is submitted
   * once the other lets the object go, with no edit of its own.
   */
  @Test
  void anApplicationClaimingAnotherOnesObjectSaysSoInItsStatusAndIsAppliedOnceTheOtherLetsGo() {
    try (ApplicationOperator op = ApplicationOperator.builder(plane, ops).scheduler(scheduler).build()) {
      op.start();
      plane.start();
      ops.apply(Resource.fromYaml(application("fast")));
      plane.runPending();
      ResourceKey other = ResourceKey.of("ops", ApplicationCrd.GROUP, ApplicationCrd.KIND, "team-a", "other");
      ops.apply(Resource.fromYaml(application("safe").replace("name: settings", "name: other")));
      plane.runPending();

      Resource refused = ops.get(other).orElseThrow();
      assertThat(refused.at("/status/phase").asString()).isEqualTo("DEGRADED");
      assertThat(refused.at("/status/conditions/1/reason").asString()).isEqualTo("InvalidSpec");
      assertThat(refused.at("/status/lastError").asString())
          .contains("ConfigMap team-a/app-config", "team-a.settings", "team-a.other");
      assertThat(ops.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("fast");

      ops.delete(APP);
      plane.runPending();
      assertThat(ops.get(APP)).isEmpty();
      clock.advance(Duration.ofSeconds(ApplicationOperator.MAX_RETRY_SECONDS));
      plane.runPending();
      assertThat(ops.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("safe");
      assertThat(ops.get(other).orElseThrow().at("/status/phase").asString()).isEqualTo("READY");
    }
  }

  /**
   * A huge invalid spec (the object itself well within what an API server stores) must not make
   * a status the API server refuses: every problem in full, in two conditions and lastError, came
   * to megabytes. Messages in the status are bounded; the count of problems stays in front.
   */
  @Test
  void aHugeInvalidSpecGetsABoundedStatusThatSaysHowManyProblems() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")).edit(t -> {
      tools.jackson.databind.node.ArrayNode components = ((ObjectNode) t.get("spec")).putArray("components");
      for (int i = 0; i < 5_000; i++) {
        components.addObject().put("name", "c" + i).put("type", "postgres");
      }
    }));
    plane.runPending();

    Resource object = ops.get(APP).orElseThrow();
    assertThat(object.at("/status/conditions/1/reason").asString()).isEqualTo("InvalidSpec");
    String lastError = object.at("/status/lastError").asString();
    assertThat(lastError).startsWith("Application 'team-a.settings' is invalid (5000 problems)")
        .contains("spec.components[0].type: unknown component type 'postgres'").endsWith("more characters)");
    assertThat(lastError.length()).isLessThanOrEqualTo(ApplicationOperator.MAX_STATUS_MESSAGE + 40);
    assertThat(object.json().get("status").toString().length()).as("the whole status")
        .isLessThan(4 * ApplicationOperator.MAX_STATUS_MESSAGE);
  }

  /**
   * An application of thousands of objects gets a status the API server can store: the resources
   * list stays within {@link ApplicationOperator#MAX_STATUS_RESOURCES_CHARS}, an object with a
   * problem is listed even when it comes last, and {@code resourcesOmitted} says how many were
   * left out. (2,000 objects with long names came to a list of about 540,000 characters.)
   */
  @Test
  void anApplicationOfThousandsOfObjectsGetsABoundedStatusListingItsProblemsFirst() {
    operator.start();
    plane.start();
    int configMaps = 2_000;
    ops.apply(Resource.fromYaml(application("fast")).edit(t -> {
      ArrayNode objects = (ArrayNode) t.at("/spec/components/0/properties/objects");
      objects.removeAll();
      for (int i = 0; i < configMaps; i++) {
        ObjectNode cm = objects.addObject().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", "cm-" + i + "-" + "x".repeat(190));
      }
      // last, and never available here (no kubelet): the entry that must not be cut
      ObjectNode deployment = objects.addObject().put("apiVersion", "apps/v1").put("kind", "Deployment");
      deployment.putObject("metadata").put("name", "api");
      ObjectNode spec = deployment.putObject("spec").put("replicas", 1);
      spec.putObject("selector").putObject("matchLabels").put("app", "api");
      ObjectNode template = spec.putObject("template");
      template.putObject("metadata").putObject("labels").put("app", "api");
      template.putObject("spec").putArray("containers").addObject().put("name", "api").put("image", "api:1");
    }));
    plane.runPending();

    Resource object = ops.get(APP).orElseThrow();
    tools.jackson.databind.JsonNode status = object.json().get("status");
    assertThat(status.get("resourceCount").asInt()).isEqualTo(configMaps + 1);
    ArrayNode listed = (ArrayNode) status.get("resources");
    assertThat(listed.get(0).get("kind").asString()).as("the problem first").isEqualTo("Deployment");
    assertThat(listed.get(0).get("health").asString()).isNotEqualTo("HEALTHY");
    assertThat(listed.size() + status.get("resourcesOmitted").asInt()).isEqualTo(configMaps + 1);
    assertThat(status.get("resourcesOmitted").asInt()).isPositive();
    assertThat(listed.toString().length()).isLessThanOrEqualTo(ApplicationOperator.MAX_STATUS_RESOURCES_CHARS);
    assertThat(status.toString().length()).as("the whole status")
        .isLessThan(ApplicationOperator.MAX_STATUS_RESOURCES_CHARS + 4 * ApplicationOperator.MAX_STATUS_MESSAGE);
  }

  @Test
  void aSmallApplicationListsEveryObjectInOrderWithoutAnOmittedCount() {
    operator.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")));
    plane.runPending();

    tools.jackson.databind.JsonNode status = ops.get(APP).orElseThrow().json().get("status");
    assertThat(status.has("resourcesOmitted")).isFalse();
    assertThat(status.get("resources").size()).isEqualTo(1);
  }

  /**
   * A replica that loses its lease in the middle of a reconcile has that reconcile's writes
   * refused, and its plane reports the refusal as a failed apply. That is no news for the
   * Application: the replica that holds the lease now writes its status, and the stale one must
   * not overwrite it (nor record an ApplyFailed Event).
   */
  @Test
  void aReplicaThatLostItsLeaseMidReconcileWritesNoStatusOrEventForIt() {
    java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
    io.orchestrationplane.core.cluster.WritePermit lease = () -> allowed.getAndUpdate(n -> Math.max(0, n - 1)) > 0
        ? java.util.Optional.empty() : java.util.Optional.of("replica-a does not hold the lease");
    try (OrchestrationPlane replica = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(ops).writePermit(lease).build();
        ApplicationOperator op = ApplicationOperator.builder(replica, ops).scheduler(scheduler).build()) {
      op.start();
      replica.start();
      ops.apply(Resource.fromYaml(application("fast")));
      replica.runPending();
      assertThat(ops.get(APP).orElseThrow().at("/status/phase").asString()).isEqualTo("READY");
      long statusWrites = ops.stats().statusUpdates();

      ops.apply(Resource.fromYaml(application("safe")));
      allowed.set(1); // the reconcile starts holding the lease; its write finds it lost
      replica.runPending();

      assertThat(replica.statuses().get("team-a.settings").lastError()).contains("does not hold the lease");
      assertThat(ops.get(CONFIG).orElseThrow().at("/data/mode").asString()).isEqualTo("fast");
      Resource object = ops.get(APP).orElseThrow();
      assertThat(object.at("/status/phase").asString()).as("the status the lease holder wrote").isEqualTo("READY");
      assertThat(ops.stats().statusUpdates()).isEqualTo(statusWrites);
      assertThat(ops.list(new io.orchestrationplane.core.resource.GroupKind("", "Event"), "team-a", java.util.Map.of()))
          .extracting(e -> e.at("/reason").asString()).doesNotContain("ApplyFailed");
    }
  }

  @Test
  void aClosedOperatorRetriesNothingAndOnceStartedAgainMakesTheWritesItOwes() {
    AtomicBoolean failing = new AtomicBoolean();
    AtomicInteger attempts = new AtomicInteger();
    ApplicationOperator op = ApplicationOperator.builder(plane, failingWrites(ops, failing, attempts))
        .scheduler(scheduler).events(false).build();
    op.start();
    plane.start();
    ops.apply(Resource.fromYaml(application("fast")));
    failing.set(true);
    plane.runPending();
    op.close();
    failing.set(false);
    int before = attempts.get();

    clock.advance(Duration.ofSeconds(10L * ApplicationOperator.MAX_RETRY_SECONDS));
    assertThat(attempts.get()).as("closed: the shared scheduler runs no retry of it").isEqualTo(before);

    op.start();
    clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
    assertThat(ops.get(APP).orElseThrow().at("/status/phase").asString()).isEqualTo("READY");
    op.close();
  }

  /**
   * The plane's submit reads its state store (the application's revisions). When that read
   * fails (the API server behind a KubernetesStateStore answers 503), the Application must be
   * submitted later all the same, not when somebody next edits it.
   */
  @Test
  void anApplicationWhoseSubmitFailedOnTheStateStoreIsSubmittedOnceTheStoreAnswers() {
    AtomicBoolean failing = new AtomicBoolean(true);
    io.orchestrationplane.core.state.StateStore memory = io.orchestrationplane.core.state.StateStore.inMemory();
    io.orchestrationplane.core.state.StateStore flaky = new io.orchestrationplane.core.state.StateStore() {
      private void check() {
        if (failing.get()) {
          throw new io.orchestrationplane.core.state.StateStoreException(
              "cannot read state: HTTP 503: the server is currently unable to handle the request");
        }
      }

      @Override
      public Config config() {
        return memory.config();
      }

      @Override
      public java.util.Optional<io.orchestrationplane.core.state.StateEntry> get(
          io.orchestrationplane.core.state.StateKey key) {
        check();
        return memory.get(key);
      }

      @Override
      public java.util.List<io.orchestrationplane.core.state.StateEntry> list(String namespace, String namePrefix) {
        check();
        return memory.list(namespace, namePrefix);
      }

      @Override
      public io.orchestrationplane.core.state.StateWriteResult compareAndSet(
          io.orchestrationplane.core.state.StateKey key, long expectedVersion, tools.jackson.databind.JsonNode value) {
        check();
        return memory.compareAndSet(key, expectedVersion, value);
      }

      @Override
      public io.orchestrationplane.core.state.DeleteResult delete(io.orchestrationplane.core.state.StateKey key,
          long expectedVersion) {
        check();
        return memory.delete(key, expectedVersion);
      }

      @Override
      public void close() {
        memory.close();
      }
    };
    try (OrchestrationPlane stored = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(ops).stateStore(flaky).build();
        ApplicationOperator op = ApplicationOperator.builder(stored, ops).scheduler(scheduler).build()) {
      op.start();
      stored.start();
      ops.apply(Resource.fromYaml(application("fast")));
      stored.runPending();
      assertThat(ops.get(CONFIG)).isEmpty();

      failing.set(false); // nobody edits the object again
      clock.advance(Duration.ofSeconds(ApplicationOperator.FIRST_RETRY_SECONDS));
      stored.runPending();
      assertThat(ops.get(CONFIG)).isPresent();
      assertThat(ops.get(APP).orElseThrow().at("/status/phase").asString()).isEqualTo("READY");
    }
  }
}
