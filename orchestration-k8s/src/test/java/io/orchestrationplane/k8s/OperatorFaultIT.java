package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Operator mode against an API server that fails some requests for a while (over HTTP, the CRUD
 * mock answering the selected requests with an error until it is healed): a write the operator
 * could not make is made once the server answers again, without any other change to trigger it.
 */
class OperatorFaultIT {
  /** A bound for a hang, not a speed: the machine may be loaded. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ResourceKey APP = ApplicationOperatorTest.APP;
  private static final ResourceKey CONFIG = ApplicationOperatorTest.CONFIG;
  private static final String ID = "team-a.settings";
  /** Tiny waits, and a circuit that does not open on the failures injected here (they target one object). */
  private static final ClusterLimits LIMITS = MockApi.FAST.toBuilder().minimumCalls(1000).slidingWindowSize(1000).build();

  @Test
  void aStatusWriteThatFailedIsMadeOnceTheServerAnswersAgain() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = cluster(api);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(false).build()) {
      ops.apply(ApplicationCrd.definition());
      api.fail(MockApi.is("PUT", "/applications/settings/status"), 503, "etcdserver: request timed out");
      operator.start();
      plane.start();
      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
      await(() -> ops.get(CONFIG));
      await(() -> Optional.ofNullable(plane.statuses().get(ID)).filter(s -> s.phase() == Phase.READY));
      assertThat(plane.awaitIdle(WAIT)).isTrue();
      assertThat(api.failed()).as("status writes refused").isPositive();
      assertThat(ops.get(APP).orElseThrow().json().has("status")).isFalse();

      api.heal(); // the application is converged: no status change follows to write it

      Resource written = await(() -> ops.get(APP).filter(r -> r.at("/status/phase").asString().equals("READY")));
      assertThat(written.at("/status/resources/0/sync").asString()).isEqualTo("in sync");
    }
  }

  @Test
  void aStatusWriteThatMeetsAConflictIsWrittenAgainstTheLiveObjectAtOnce() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = cluster(api);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(false).build()) {
      ops.apply(ApplicationCrd.definition());
      // someone else (a second controller, kubectl) wrote the object between the read and the write
      api.server.expect().put().withPath("/apis/orchestrationplane.io/v1alpha1/namespaces/team-a/applications/settings/status")
          .andReturn(409, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withReason("Conflict")
              .withCode(409).withMessage("the object has been modified").build()).once();
      operator.start();
      plane.start();
      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));

      await(() -> ops.get(APP).filter(r -> r.at("/status/phase").asString().equals("READY")));
      assertThat(plane.awaitIdle(WAIT)).isTrue();
      int statusPuts = 0;
      for (int i = api.server.getRequestCount(); i > 0; i--) {
        io.fabric8.mockwebserver.http.RecordedRequest r = api.server.takeRequest();
        if ("PUT".equals(r.getMethod()) && r.getPath().endsWith("/applications/settings/status")) {
          statusPuts++;
        }
      }
      assertThat(statusPuts).as("the refused write and the one against the live object").isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aFinalizerThatCouldNotBeAddedIsAddedAndTheApplicationAppliedOnceTheServerAnswersAgain() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = cluster(api);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(false).build()) {
      ops.apply(ApplicationCrd.definition());
      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
      api.fail(MockApi.is("PUT", "/applications/settings"), 500, "Internal error occurred: admission webhook timed out");
      operator.start(); // the watch's first list brings the object at once
      plane.start();
      await(() -> api.failed() > 0 ? Optional.of(true) : Optional.empty());
      assertThat(plane.awaitIdle(WAIT)).isTrue();
      assertThat(ops.get(CONFIG)).as("not submitted without its finalizer").isEmpty();

      api.heal(); // nobody touches the object again

      await(() -> ops.get(CONFIG));
      assertThat(ops.get(APP).orElseThrow().json().at("/metadata/finalizers/0").asString())
          .isEqualTo(ApplicationOperator.FINALIZER);
    }
  }

  @Test
  void aFinalizerThatCouldNotBeRemovedAfterThePruneIsRemovedOnceTheServerAnswersAgain() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = cluster(api);
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(false).build()) {
      ops.apply(ApplicationCrd.definition());
      operator.start();
      plane.start();
      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
      await(() -> ops.get(APP).filter(r -> r.at("/status/phase").asString().equals("READY")));
      api.fail(MockApi.is("PUT", "/applications/settings"), 503, "the server is currently unable to handle the request");

      ops.delete(APP);
      await(() -> ops.get(CONFIG).isEmpty() ? Optional.of(true) : Optional.empty());
      await(() -> api.failed() > 0 ? Optional.of(true) : Optional.empty());
      assertThat(plane.awaitIdle(WAIT)).isTrue();
      assertThat(ops.get(APP)).as("held by its finalizer").isPresent();

      api.heal();

      await(() -> ops.get(APP).isEmpty() ? Optional.of(true) : Optional.empty());
    }
  }

  @Test
  void anApplicationDeletedWhileTheOperatorWasDownIsPrunedEvenWhenItsSpecHadTurnedInvalid() throws Exception {
    try (MockApi api = new MockApi(); KubernetesCluster ops = cluster(api)) {
      ops.apply(ApplicationCrd.definition());
      try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
          ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(false).build()) {
        operator.start();
        plane.start();
        ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));
        await(() -> ops.get(APP).filter(r -> r.at("/status/phase").asString().equals("READY")));
      }
      // while the operator is down (an upgrade): a typo makes the spec invalid, then the object is deleted
      Resource object = ops.get(APP).orElseThrow();
      ops.update(object.edit(t -> ((ObjectNode) t).putObject("spec").putArray("components").addObject()
          .put("name", "config")));
      ops.delete(APP);

      try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
          ApplicationOperator operator = ApplicationOperator.builder(plane, ops).events(false).build()) {
        operator.start();
        plane.start();
        await(() -> ops.get(APP).isEmpty() ? Optional.of(true) : Optional.empty());
        assertThat(ops.get(CONFIG)).as("pruned before the finalizer came off").isEmpty();
        assertThat(ops.get(ResourceKey.of("ops", "", "ConfigMap", "team-a", "orchestration-plane-inventory.settings")))
            .as("the inventory, last").isEmpty();
      }
    }
  }

  private static KubernetesCluster cluster(MockApi api) {
    return KubernetesCluster.builder("ops").config(api.config()).limits(LIMITS).build();
  }

  private static <T> T await(Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      LockSupport.parkNanos(20_000_000L);
    }
    throw new AssertionError("condition not met within " + WAIT);
  }
}
