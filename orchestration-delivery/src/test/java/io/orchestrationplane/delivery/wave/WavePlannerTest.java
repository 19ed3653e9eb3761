package io.orchestrationplane.delivery.wave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.delivery.wave.WavePlanner.Observation;
import io.orchestrationplane.delivery.wave.WavePlanner.Placed;
import io.orchestrationplane.delivery.wave.WavePlanner.Wave;
import io.orchestrationplane.delivery.wave.WaveProgress.Phase;
import io.orchestrationplane.delivery.wave.WaveProgress.State;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wave decision alone: placement, cluster states and the clock in, progress out. */
class WavePlannerTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private static List<Placed> fleet() {
    return List.of(new Placed("us-1", Map.of("region", "us")), new Placed("eu-1", Map.of("region", "eu")),
        new Placed("canary", Map.of("region", "canary")), new Placed("eu-2", Map.of("region", "eu")),
        new Placed("us-2", Map.of("region", "us")), new Placed("lab", Map.of()));
  }

  private static Map<String, Observation> all(Observation o, String... clusters) {
    Map<String, Observation> out = new HashMap<>();
    for (String c : clusters) {
      out.put(c, o);
    }
    return out;
  }

  @Test
  void clustersAreGroupedByLabelInTheGivenOrderThenSortedWithTheUnlabelledLastAndSplitByMaxConcurrency() {
    WaveStrategy s = WaveStrategy.builder().groupByLabel("region", "canary").maxConcurrency("1").build();
    assertThat(WavePlanner.waves(s, fleet())).containsExactly(
        new Wave(0, "region=canary", List.of("canary")),
        new Wave(1, "region=eu", List.of("eu-1")), new Wave(2, "region=eu", List.of("eu-2")),
        new Wave(3, "region=us", List.of("us-1")), new Wave(4, "region=us", List.of("us-2")),
        new Wave(5, "others", List.of("lab")));

    WaveStrategy half = WaveStrategy.builder().groupByLabel("region", "canary").maxConcurrency("50%").build();
    assertThat(WavePlanner.waves(half, fleet())).extracting(Wave::clusters).containsExactly(
        List.of("canary"), List.of("eu-1"), List.of("eu-2"), List.of("us-1"), List.of("us-2"), List.of("lab"));
  }

  @Test
  void explicitGroupsTakeClustersByNameOrLabelsFirstMatchWinsAndTheRestAreOthers() {
    WaveStrategy s = WaveStrategy.builder().group(ClusterGroup.of("first", "canary", "us-2"))
        .group(ClusterGroup.selecting("europe", Map.of("region", "eu"))).build();
    assertThat(WavePlanner.waves(s, fleet())).containsExactly(
        new Wave(0, "first", List.of("canary", "us-2")), new Wave(1, "europe", List.of("eu-1", "eu-2")),
        new Wave(2, "others", List.of("us-1", "lab")));
    assertThat(WavePlanner.waves(WaveStrategy.builder().build(), fleet())).hasSize(1);
  }

  @Test
  void badSettingsAreRefusedAtOnce() {
    assertThatThrownBy(() -> Threshold.parse("ten")).hasMessageContaining("'ten'");
    assertThatThrownBy(() -> Threshold.parse("120%")).hasMessageContaining("120%");
    assertThatThrownBy(() -> WaveStrategy.builder().maxConcurrency("0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> WaveStrategy.builder().progressDeadline(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> ClusterGroup.of("empty")).hasMessageContaining("neither");
  }

  @Test
  void aWaveStartsOnlyWhenThePreviousIsHealthyForTheSoakTime() {
    WaveStrategy s = WaveStrategy.builder().groupByLabel("region", "canary", "eu")
        .minSuccessTime(Duration.ofMinutes(10)).build();
    List<Placed> fleet = fleet();
    WaveProgress p = WavePlanner.next(s, fleet, "a", "r1", null, Map.of(), T0);
    assertThat(p.currentWave()).isZero();
    assertThat(p.released()).containsExactly("canary");

    p = WavePlanner.next(s, fleet, "a", "r1", p, all(Observation.ready(), "canary"), T0.plusSeconds(60));
    assertThat(p.cluster("canary").orElseThrow().phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(p.currentWave()).isZero();
    assertThat(p.nextCheck()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofMinutes(10)));

    p = WavePlanner.next(s, fleet, "a", "r1", p, all(Observation.ready(), "canary"), T0.plus(Duration.ofMinutes(10)));
    assertThat(p.currentWave()).as("9 minutes healthy are not 10").isZero();

    // unhealthy during its soak: back to progressing, and the soak starts again once healthy
    p = WavePlanner.next(s, fleet, "a", "r1", p, all(Observation.progressing("0/1 ready"), "canary"),
        T0.plus(Duration.ofMinutes(10)));
    assertThat(p.cluster("canary").orElseThrow().phase()).isEqualTo(Phase.PROGRESSING);
    p = WavePlanner.next(s, fleet, "a", "r1", p, all(Observation.ready(), "canary"), T0.plus(Duration.ofMinutes(12)));
    p = WavePlanner.next(s, fleet, "a", "r1", p, all(Observation.ready(), "canary"), T0.plus(Duration.ofMinutes(21)));
    assertThat(p.currentWave()).isZero();
    p = WavePlanner.next(s, fleet, "a", "r1", p, all(Observation.ready(), "canary"), T0.plus(Duration.ofMinutes(22)));
    assertThat(p.currentWave()).isEqualTo(1);
    assertThat(p.released()).containsExactly("canary", "eu-1", "eu-2");
    assertThat(p.clusters(Phase.PENDING)).containsExactly("us-1", "us-2", "lab");
  }

  @Test
  void aClusterNotHealthyWithinTheProgressDeadlineTimesOutAndStopsTheRolloutWithoutFailuresAllowed() {
    WaveStrategy s = WaveStrategy.builder().groupByLabel("region", "canary", "eu")
        .progressDeadline(Duration.ofMinutes(15)).build();
    WaveProgress p = WavePlanner.next(s, fleet(), "a", "r1", null, Map.of(), T0);
    p = WavePlanner.next(s, fleet(), "a", "r1", p, all(Observation.ready(), "canary"), T0.plusSeconds(30));
    assertThat(p.currentWave()).isEqualTo(1); // no soak: the next pass starts eu
    Instant euStart = T0.plusSeconds(30);
    Map<String, Observation> eu = all(Observation.ready(), "eu-1");
    eu.put("eu-2", Observation.progressing("Deployment a/api: 0/3 available"));
    p = WavePlanner.next(s, fleet(), "a", "r1", p, eu, euStart.plus(Duration.ofMinutes(14)));
    assertThat(p.state()).isEqualTo(State.ROLLING_OUT);
    assertThat(p.nextCheck()).isEqualTo(euStart.plus(Duration.ofMinutes(15)));

    p = WavePlanner.next(s, fleet(), "a", "r1", p, eu, euStart.plus(Duration.ofMinutes(15)));
    assertThat(p.cluster("eu-2").orElseThrow().phase()).isEqualTo(Phase.TIMED_OUT);
    assertThat(p.state()).isEqualTo(State.STOPPED);
    assertThat(p.reason()).isEqualTo("group region=eu: 1 of 2 clusters failed (maxFailures 0): eu-2 timed out (not "
        + "healthy within 15m: Deployment a/api: 0/3 available); later waves are not written");
    assertThat(p.clusters(Phase.PENDING)).containsExactly("us-1", "us-2", "lab");

    // stopped stays stopped, whatever the clusters do
    WaveProgress later = WavePlanner.next(s, fleet(), "a", "r1", p, all(Observation.ready(), "eu-2"), euStart.plus(Duration.ofHours(5)));
    assertThat(later).isEqualTo(p);
    // a new desired state starts over from the first wave
    WaveProgress fresh = WavePlanner.next(s, fleet(), "a", "r2", p, Map.of(), euStart.plus(Duration.ofHours(5)));
    assertThat(fresh.state()).isEqualTo(State.ROLLING_OUT);
    assertThat(fresh.released()).containsExactly("canary");
  }

  @Test
  void aCompleteRolloutStaysCompleteWhenAClusterIsUnhealthyLaterButALateClusterJoinsItsWave() {
    WaveStrategy s = WaveStrategy.builder().groupByLabel("region").progressDeadline(Duration.ofMinutes(5)).build();
    List<Placed> two = List.of(new Placed("eu-1", Map.of("region", "eu")), new Placed("us-1", Map.of("region", "us")));
    WaveProgress p = WavePlanner.next(s, two, "a", "r1", null, Map.of(), T0);
    p = WavePlanner.next(s, two, "a", "r1", p, all(Observation.ready(), "eu-1"), T0.plusSeconds(10));
    p = WavePlanner.next(s, two, "a", "r1", p, all(Observation.ready(), "us-1"), T0.plusSeconds(20));
    p = WavePlanner.next(s, two, "a", "r1", p, Map.of(), T0.plusSeconds(30));
    assertThat(p.state()).isEqualTo(State.COMPLETE);

    WaveProgress later = WavePlanner.next(s, two, "a", "r1", p, all(Observation.progressing("0/1"), "eu-1", "us-1"),
        T0.plus(Duration.ofHours(1)));
    assertThat(later.state()).isEqualTo(State.COMPLETE);
    assertThat(later.clusters(Phase.SUCCEEDED)).containsExactly("eu-1", "us-1");

    List<Placed> three = List.of(two.get(0), new Placed("eu-2", Map.of("region", "eu")), two.get(1));
    WaveProgress joined = WavePlanner.next(s, three, "a", "r1", later, Map.of(), T0.plus(Duration.ofHours(1)));
    assertThat(joined.state()).isEqualTo(State.ROLLING_OUT);
    assertThat(joined.cluster("eu-2").orElseThrow().phase()).isEqualTo(Phase.PROGRESSING);
    joined = WavePlanner.next(s, three, "a", "r1", joined, all(Observation.ready(), "eu-2"),
        T0.plus(Duration.ofHours(1)).plusSeconds(10));
    assertThat(joined.state()).isEqualTo(State.COMPLETE);
  }

  @Test
  void maxFailuresAsACountToleratesThatManyFailedClustersOfAGroup() {
    WaveStrategy s = WaveStrategy.builder().groupByLabel("region", "eu", "us").maxFailures("1").build();
    WaveProgress p = WavePlanner.next(s, fleet(), "a", "r1", null, Map.of(), T0);
    assertThat(p.released()).containsExactly("eu-1", "eu-2");
    Map<String, Observation> seen = all(Observation.ready(), "eu-1");
    seen.put("eu-2", Observation.failed("Deployment a/api: CrashLoopBackOff"));
    p = WavePlanner.next(s, fleet(), "a", "r1", p, seen, T0.plusSeconds(10));
    assertThat(p.cluster("eu-2").orElseThrow().phase()).isEqualTo(Phase.FAILED);
    assertThat(p.state()).isEqualTo(State.ROLLING_OUT);
    p = WavePlanner.next(s, fleet(), "a", "r1", p, Map.of(), T0.plusSeconds(20));
    assertThat(p.released()).as("one failure of two is within maxFailures 1").contains("us-1", "us-2");

    Map<String, Observation> us = all(Observation.failed("image pull"), "us-1", "us-2");
    p = WavePlanner.next(s, fleet(), "a", "r1", p, us, T0.plusSeconds(30));
    assertThat(p.state()).isEqualTo(State.STOPPED);
    assertThat(p.reason()).startsWith("group region=us: 2 of 2 clusters failed (maxFailures 1)");
    assertThat(p.clusters(Phase.PENDING)).containsExactly("canary", "lab");
  }

  @Test
  void maxFailuresAsAPercentageIsOfTheGroupRoundedDown() {
    List<Placed> four = List.of(new Placed("a", Map.of()), new Placed("b", Map.of()), new Placed("c", Map.of()),
        new Placed("d", Map.of()), new Placed("e", Map.of()));
    WaveStrategy s = WaveStrategy.builder().group(ClusterGroup.of("first", "a", "b", "c", "d"))
        .maxFailures("50%").build();
    WaveProgress p = WavePlanner.next(s, four, "x", "r1", null, Map.of(), T0);
    Map<String, Observation> two = all(Observation.failed("boom"), "a", "b");
    two.putAll(all(Observation.ready(), "c", "d"));
    p = WavePlanner.next(s, four, "x", "r1", p, two, T0.plusSeconds(1));
    assertThat(p.state()).as("2 of 4 is 50%").isEqualTo(State.ROLLING_OUT);
    p = WavePlanner.next(s, four, "x", "r1", p, Map.of(), T0.plusSeconds(2));
    assertThat(p.released()).contains("e");

    WaveStrategy third = WaveStrategy.builder().group(ClusterGroup.of("first", "a", "b", "c")).maxFailures("50%").build();
    List<Placed> three = four.subList(0, 3);
    WaveProgress q = WavePlanner.next(third, three, "x", "r1", null, Map.of(), T0);
    q = WavePlanner.next(third, three, "x", "r1", q, all(Observation.failed("boom"), "a", "b"), T0.plusSeconds(1));
    assertThat(q.state()).as("50% of 3 rounds down to 1").isEqualTo(State.STOPPED);
    assertThat(q.reason()).contains("(maxFailures 1 (50% of 3))");
  }
}
