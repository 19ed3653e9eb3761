package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.status.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several threads submit and remove the same application at once, while two workers reconcile
 * it. Whatever the interleaving, no call fails, and the last desired state wins: a final submit
 * converges to exactly its objects, a final remove leaves nothing, the inventory included.
 */
class ConcurrentCallsTest {
  static Application version(int v) {
    return Application.builder("same").namespace("x").component(Component.builder("c", "k8s-objects")
        .property("manifests", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v" + v + "}\n").build()).build();
  }

  @Test
  void concurrentSubmitsAndRemovesOfOneApplicationEndInTheLastDesiredState() throws Exception {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).workers(2).build()) {
      plane.start();
      CyclicBarrier together = new CyclicBarrier(4);
      List<Future<?>> calls = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        calls.add(callers.submit(() -> {
          together.await(); // every thread starts at once
          for (int i = 0; i < 100; i++) {
            if ((i + thread) % 2 == 0) {
              plane.submit(version((i + thread) % 3));
            } else {
              plane.remove(version(0));
            }
          }
          return null;
        }));
      }
      for (Future<?> call : calls) {
        call.get(); // no call threw
      }
      plane.submit(version(7));
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(plane.status(version(7)).phase()).isEqualTo(Phase.READY);
      assertThat(cluster.all()).extracting(Resource::name)
          .containsExactlyInAnyOrder("v7", "orchestration-plane-inventory.same");

      plane.remove(version(7));
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(plane.status(version(7)).phase()).isEqualTo(Phase.REMOVED);
      assertThat(cluster.all()).isEmpty();
    } finally {
      callers.shutdownNow();
    }
  }
}
