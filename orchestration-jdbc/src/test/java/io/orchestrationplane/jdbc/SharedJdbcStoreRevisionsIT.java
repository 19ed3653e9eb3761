package io.orchestrationplane.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Two planes, as in two instances of a platform's service, each with a {@link JdbcStateStore} of
 * its own over one PostgreSQL schema: changes of one application recorded at the same time get
 * distinct revision numbers, none lost, and both planes read the same history.
 */
class SharedJdbcStoreRevisionsIT {
  private static final String APP = "shop.shop";
  private final ManualClock clock = ManualClock.create();
  private final String schema = Postgres.freshSchema();

  private static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).build())
        .build();
  }

  /** A plane on a cluster of its own named "prod": only the state is shared. */
  private OrchestrationPlane plane(StateStore store) {
    return OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.builder("prod").clock(clock).build())
        .readinessGates(false).logging(false).stateStore(store).revisionHistoryLimit(100).build();
  }

  private JdbcStateStore store() {
    return JdbcStateStore.builder(Postgres.dataSource()).schema(schema).build();
  }

  @Test
  void twoPlanesRecordingChangesOfOneApplicationAtOnceGetDistinctNumbersAndOneHistory() throws Exception {
    int changes = 12;
    try (JdbcStateStore storeA = store(); JdbcStateStore storeB = store();
         OrchestrationPlane a = plane(storeA); OrchestrationPlane b = plane(storeB)) {
      List<OrchestrationPlane> planes = List.of(a, b);
      List<Subject> who = List.of(Subject.of("alice@example.com"), Subject.of("bob@example.com"));
      CyclicBarrier start = new CyclicBarrier(2);
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
          int plane = p;
          done.add(threads.submit(() -> {
            start.await(1, TimeUnit.MINUTES);
            for (int i = 1; i <= changes; i++) {
              planes.get(plane).apply(shop("acme/api:" + plane + "." + i), who.get(plane), Origin.code());
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(5, TimeUnit.MINUTES);
        }
      } finally {
        threads.shutdownNow();
      }

      List<Revision> history = a.history(APP);
      assertThat(history).extracting(Revision::number).containsExactlyElementsOf(
          LongStream.rangeClosed(1, 2L * changes).boxed().sorted(Comparator.reverseOrder()).toList());
      assertThat(history).extracting(r -> r.model().component("api").orElseThrow().properties().get("image"))
          .doesNotHaveDuplicates().hasSize(2 * changes);
      assertThat(b.history(APP)).isEqualTo(history);
      // each plane's own changes are in the order it made them
      List<Revision> oldestFirst = new ArrayList<>(history);
      java.util.Collections.reverse(oldestFirst);
      for (int p = 0; p < 2; p++) {
        String mine = "acme/api:" + p + ".";
        assertThat(oldestFirst).extracting(r -> (String) r.model().component("api").orElseThrow().properties()
            .get("image")).filteredOn(image -> image.startsWith(mine))
            .containsExactlyElementsOf(LongStream.rangeClosed(1, changes).mapToObj(i -> mine + i).toList());
        Subject subject = who.get(p);
        assertThat(history).filteredOn(r -> ((String) r.model().component("api").orElseThrow().properties().get("image"))
            .startsWith(mine)).allSatisfy(r -> assertThat(r.source().subject()).isEqualTo(subject));
      }
    }
  }

  @Test
  void aPlaneOnANewStoreInstanceSeesTheHistoryAndRollsBackThroughIt() {
    try (JdbcStateStore first = store(); OrchestrationPlane a = plane(first)) {
      a.apply(shop("acme/api:1"));
      a.apply(shop("acme/api:2"));
    }
    try (JdbcStateStore again = store(); OrchestrationPlane b = plane(again)) {
      assertThat(b.history(APP)).extracting(Revision::number).containsExactly(2L, 1L);
      b.rollback(APP, 1);
      assertThat(b.history(APP)).extracting(Revision::number).containsExactly(3L, 2L, 1L);
      assertThat(b.history(APP).get(0).digest()).isEqualTo(b.history(APP).get(2).digest());
    }
  }
}
