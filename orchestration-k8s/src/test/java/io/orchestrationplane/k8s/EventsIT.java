package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Kubernetes Events of operator mode over HTTP against the CRUD mock API server: created, then counted. */
class EventsIT {
  /** A bound for a hang, not a speed: on a loaded two-core machine the first status took over 20 s once. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final GroupKind EVENT = new GroupKind("", "Event");

  @Test
  void theOperatorRecordsEventsOnTheApplicationObjectAndARepeatCountsOnTheSameEvent() {
    try (MockApi api = new MockApi(); KubernetesCluster ops = api.cluster("ops");
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build()) {
      ops.apply(ApplicationCrd.definition());
      operator.start();
      plane.start();
      ops.apply(Resource.fromYaml(ApplicationOperatorTest.application("fast")));

      Resource applied = await(() -> ops.list(EVENT, "team-a", Map.of()).stream()
          .filter(e -> e.at("/reason").asString().equals("Applied")).findFirst());
      Resource app = ops.get(ApplicationOperatorTest.APP).orElseThrow();
      assertThat(applied.at("/involvedObject/uid").asString()).isEqualTo(app.uid());
      assertThat(applied.at("/involvedObject/kind").asString()).isEqualTo("Application");
      assertThat(applied.at("/type").asString()).isEqualTo("Normal");

      EventRecorder recorder = EventRecorder.builder(ops, "it").build();
      recorder.record(app, EventRecorder.Type.WARNING, "Probe", "same message");
      recorder.record(app, EventRecorder.Type.WARNING, "Probe", "same message");
      List<Resource> probes = ops.list(EVENT, "team-a", Map.of()).stream()
          .filter(e -> e.at("/reason").asString().equals("Probe")).toList();
      assertThat(probes).singleElement().satisfies(e -> {
        assertThat(e.at("/count").asInt()).isEqualTo(2);
        assertThat(e.at("/source/component").asString()).isEqualTo("it");
      });
    }
  }

  /** Polls until the supplier yields a value; the operator and plane run on their own threads. */
  private static <T> T await(Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
