package io.orchestrationplane.core.release.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A candidate drops its stored form once recorded (it is kept as long as its application stays
 * submitted) and makes it again when recorded anew, so what is stored is the same either way.
 */
class RevisionCandidateTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @Test
  void aCandidateRecordedAgainAfterAnotherStoresItsApplicationAsTheFirstTime() {
    RevisionLog log = new RevisionLog(StateStore.inMemory(), 10, ManualClock.create());
    Application first = app("nginx:1.27");
    Application second = app("nginx:1.28");
    Plan plan = new Plan(first.id(), List.of(), List.of());

    RevisionLog.Candidate a = log.prepare(first, A, Subject.of("alice"), Origin.code());
    assertThat(log.record(a, plan)).isPresent();
    assertThat(log.record(a, plan)).as("recorded already: nothing new").isEmpty();
    assertThat(log.record(log.prepare(second, B, Subject.of("bob"), Origin.code()), plan)).isPresent();
    Revision again = log.record(a, plan).orElseThrow();

    assertThat(again.number()).isEqualTo(3);
    assertThat(again.digest()).isEqualTo(A);
    List<Revision> history = log.history(first.id());
    assertThat(history).extracting(Revision::number).containsExactly(3L, 2L, 1L);
    assertThat(history.get(0).model()).isEqualTo(first).isEqualTo(history.get(2).model());
    assertThat(history.get(1).model()).isEqualTo(second);
  }

  private static Application app(String image) {
    return Application.builder("web").namespace("shop")
        .component(Component.builder("web", "webservice").property("image", image).build()).build();
  }
}
