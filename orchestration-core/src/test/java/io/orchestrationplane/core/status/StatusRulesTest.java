package io.orchestrationplane.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.health.ApplicationHealth;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The phase and conditions as a pure function of the situation, the generation, the last status and the time. */
class StatusRulesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  private static ApplicationStatus status(StatusRules.Verdict v, long generation) {
    return new ApplicationStatus("shop.shop", generation, v.phase(), v.conditions(), List.of(), List.of(), "",
        ApplicationHealth.of(List.of()), List.of());
  }

  private static Condition cond(StatusRules.Verdict v, String type) {
    return v.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void everySituationHasOnePhaseAndTheThreeConditions() {
    record Case(Situation situation, Phase phase, String degradedReason, boolean degraded) {}
    List<Case> cases = List.of(
        new Case(new Situation.Converged(), Phase.READY, "InSync", false),
        new Case(new Situation.Invalid("bad"), Phase.DEGRADED, "InvalidSpec", true),
        new Case(new Situation.Denied("no"), Phase.DEGRADED, "AdmissionDenied", true),
        new Case(new Situation.PruneRefused("p"), Phase.DEGRADED, "PruneRefused", true),
        new Case(new Situation.DriftReported("d"), Phase.DEGRADED, "Drifted", true),
        new Case(new Situation.StalePlan("s"), Phase.PROGRESSING, "StalePlan", false),
        new Case(new Situation.FightingWriter("f"), Phase.DEGRADED, "FightingWriter", true),
        new Case(new Situation.WriteLoop("l"), Phase.DEGRADED, "WriteLoop", true),
        new Case(new Situation.ApplyFailed("x", 1, 3), Phase.DEGRADED, "ApplyFailed", true),
        new Case(new Situation.PlanProblems("p", false, 0), Phase.DEGRADED, "PlanProblems", true),
        new Case(new Situation.ReconcileError("e", false), Phase.DEGRADED, "ReconcileError", true),
        new Case(new Situation.ReconcileError("e", true), Phase.REMOVING, "ReconcileError", true),
        new Case(new Situation.Removing("r", false), Phase.REMOVING, "Removing", false),
        new Case(new Situation.Removing("r", true), Phase.REMOVING, "RemovalBlocked", true),
        new Case(new Situation.RemovalDenied("no"), Phase.REMOVING, "AdmissionDenied", true),
        new Case(new Situation.Removed("gone"), Phase.REMOVED, "Removed", false),
        new Case(new Situation.OutOfSync("2 changes"), Phase.PROGRESSING, "OutOfSync", false),
        new Case(new Situation.Unhealthy("api: 0/2", false), Phase.PROGRESSING, "Unhealthy", false),
        new Case(new Situation.Unhealthy("api: crash", true), Phase.DEGRADED, "Unhealthy", true));
    for (Case c : cases) {
      StatusRules.Verdict v = StatusRules.decide(c.situation(), 1, null, T0);
      assertThat(v.phase()).as("%s", c.situation()).isEqualTo(c.phase());
      assertThat(v.conditions()).extracting(Condition::type)
          .containsExactly(Condition.READY, Condition.PROGRESSING, Condition.DEGRADED);
      assertThat(cond(v, Condition.READY).isTrue()).as("%s ready", c.situation()).isEqualTo(c.phase() == Phase.READY);
      assertThat(cond(v, Condition.DEGRADED).isTrue()).as("%s degraded", c.situation()).isEqualTo(c.degraded());
      assertThat(cond(v, Condition.DEGRADED).reason()).as("%s", c.situation()).isEqualTo(c.degradedReason());
    }
  }

  @Test
  void pendingHasOnlyAnUnknownReadyCondition() {
    StatusRules.Verdict v = StatusRules.decide(new Situation.Pending(), 1, null, T0);
    assertThat(v.phase()).isEqualTo(Phase.PENDING);
    assertThat(v.conditions()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(Condition.READY);
      assertThat(c.state()).isEqualTo(Condition.State.UNKNOWN);
    });
  }

  @Test
  void progressingTurnsDegradedAtTheDeadlineNamingWhatBlocksAndForHowLong() {
    Duration deadline = Duration.ofMinutes(10);
    StatusRules.Verdict before = StatusRules.decide(
        new Situation.Progressing("api: 0/2 ready", false, Duration.ofMinutes(9), deadline), 1, null, T0);
    assertThat(before.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(cond(before, Condition.PROGRESSING).reason()).isEqualTo("Unhealthy");

    StatusRules.Verdict at = StatusRules.decide(
        new Situation.Progressing("api: 0/2 ready", false, deadline, deadline), 1, null, T0);
    assertThat(at.phase()).isEqualTo(Phase.DEGRADED);
    assertThat(cond(at, Condition.DEGRADED).message()).isEqualTo("api: 0/2 ready after 10m");
    assertThat(cond(at, Condition.DEGRADED).reason()).isEqualTo("ProgressDeadlineExceeded");

    StatusRules.Verdict waiting = StatusRules.decide(
        new Situation.Progressing("worker: waits for api", true, Duration.ZERO, deadline), 1, null, T0);
    assertThat(cond(waiting, Condition.READY).reason()).isEqualTo("WaitingForDependencies");
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStateHolds() {
    ApplicationStatus ready = status(StatusRules.decide(new Situation.Converged(), 1, null, T0), 1);
    StatusRules.Verdict again = StatusRules.decide(new Situation.Converged(), 1, ready, T1);
    assertThat(again.conditions()).allMatch(c -> c.lastTransitionTime().equals(T0));

    StatusRules.Verdict failed = StatusRules.decide(new Situation.ApplyFailed("x", 0, 1), 1, ready, T1);
    assertThat(cond(failed, Condition.READY).lastTransitionTime()).isEqualTo(T1);
    assertThat(cond(failed, Condition.DEGRADED).lastTransitionTime()).isEqualTo(T1);
  }

  @Test
  void oneFailedReadOfAConvergedApplicationLeavesItReadyButNotRepeatedOrAfterAChange() {
    ApplicationStatus ready = status(StatusRules.decide(new Situation.Converged(), 3, null, T0), 3);
    Situation unreadable = new Situation.PlanProblems("cluster eu: unavailable", true, 1);

    StatusRules.Verdict stays = StatusRules.decide(unreadable, 3, ready, T1);
    assertThat(stays.phase()).isEqualTo(Phase.READY);
    assertThat(stays.conditions()).isEqualTo(ready.conditions());

    assertThat(StatusRules.decide(new Situation.PlanProblems("x", true, StatusRules.STAY_READY_ATTEMPTS), 3, ready, T1)
        .phase()).as("repeated failures").isEqualTo(Phase.DEGRADED);
    assertThat(StatusRules.decide(unreadable, 4, ready, T1).phase()).as("a new generation").isEqualTo(Phase.DEGRADED);
    assertThat(StatusRules.decide(new Situation.PlanProblems("owned by b", false, 1), 3, ready, T1).phase())
        .as("a problem other than a failed read").isEqualTo(Phase.DEGRADED);
  }

  @Test
  void aScheduledRetryRewordsOnlyTheBlockingConditions() {
    ApplicationStatus failed = status(StatusRules.decide(new Situation.ApplyFailed("boom", 0, 1), 1, null, T0), 1);
    List<Condition> retrying = StatusRules.retrying(failed, "boom, retrying in 40ms");
    assertThat(retrying).filteredOn(c -> !c.type().equals(Condition.PROGRESSING))
        .allMatch(c -> c.message().equals("boom, retrying in 40ms"));
    assertThat(retrying).filteredOn(c -> c.type().equals(Condition.PROGRESSING))
        .allMatch(c -> c.message().equals("0 of 1 changes written"));
  }

  @Test
  void anEnvironmentIsDegradedOnlyWhenAWriteFailedNotOnAConflict() {
    ResourceKey key = ResourceKey.of("eu", "apps", "Deployment", "shop", "api");
    ResourceStatus synced = new ResourceStatus(key, "prod", true, true, true, List.of(),
        Optional.of(new WriteResult.Created()), HealthStatus.healthy("ok"));
    ResourceStatus failed = new ResourceStatus(key, "prod", true, true, false, List.of(),
        Optional.of(new WriteResult.Failed("boom")), HealthStatus.healthy("ok"));
    ResourceStatus conflict = new ResourceStatus(key, "prod", true, true, false, List.of(),
        Optional.of(new WriteResult.Conflict("changed")), HealthStatus.healthy("ok"));
    assertThat(StatusRules.environmentPhase(List.of(synced))).isEqualTo(Phase.READY);
    assertThat(StatusRules.environmentPhase(List.of(synced, failed))).isEqualTo(Phase.DEGRADED);
    assertThat(StatusRules.environmentPhase(List.of(synced, conflict))).isEqualTo(Phase.PROGRESSING);
  }

  @Test
  void durationsReadLikeKubectl() {
    assertThat(StatusRules.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(StatusRules.human(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(StatusRules.human(Duration.ofMinutes(65))).isEqualTo("1h5m");
  }
}
