package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.delivery.ReleaseStatus.RunPhase;
import io.orchestrationplane.delivery.ReleaseStatus.StepPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Subject DANA = Subject.of("dana");
  private static final Subject ALICE = Subject.of("alice");
  private static final Subject BOB = Subject.of("bob");

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  static Workflow promotion() {
    return Workflow.builder("shop-release")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.check("dev-ready", "dev", "status.phase == 'READY' && status.resources.all(r, r.health == 'HEALTHY')"))
        .step(Step.promote("to-staging", "dev", "staging", Duration.ofMinutes(10)))
        .step(Step.approval("approve-prod", ApprovalRule.of(2, "alice", "bob", "carol")).timeout(Duration.ofHours(24)))
        .step(Step.promote("to-prod", "staging", "prod", Duration.ofMinutes(30)).onFailure(OnFailure.ROLLBACK))
        .build();
  }

  @Test
  void promotesTheSameReleaseFromDevToProdAfterSoakTimesAndTwoApprovals() {
    Delivery delivery = f.delivery().build();
    Release r = delivery.start(Fixture.shop("1.0"), promotion(), DANA, Origin.code());

    delivery.runPending();
    assertThat(f.version(f.dev, "dev")).contains("1.0");
    assertThat(f.version(f.staging, "staging")).isEmpty();
    ReleaseStatus status = delivery.status("shop.shop");
    assertThat(status.activeSteps()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("to-staging");
      assertThat(s.waitingFor()).get().isInstanceOf(WaitingFor.Soak.class);
    });

    f.clock.advance(Duration.ofMinutes(9));
    delivery.runPending();
    assertThat(f.version(f.staging, "staging")).as("still soaking in dev").isEmpty();
    f.clock.advance(Duration.ofMinutes(1));
    delivery.runPending();
    assertThat(f.version(f.staging, "staging")).contains("1.0");
    assertThat(delivery.status("shop.shop").activeSteps()).singleElement()
        .satisfies(s -> assertThat(s.waitingFor()).get().isInstanceOf(WaitingFor.Approval.class));

    assertThatThrownBy(() -> delivery.approve("shop.shop", "approve-prod", DANA, "mine"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dana is the author of release 1");
    assertThatThrownBy(() -> delivery.approve("shop.shop", "approve-prod", Subject.of("eve"), "let me"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 of [alice, bob, carol]");
    delivery.approve("shop.shop", "approve-prod", ALICE, "ok");
    delivery.approve("shop.shop", "approve-prod", ALICE, "ok again"); // counts once
    delivery.runPending();
    assertThat(delivery.status("shop.shop").run().orElseThrow().step("approve-prod").orElseThrow().phase())
        .isEqualTo(StepPhase.WAITING);
    delivery.approve("shop.shop", "approve-prod", r.digest(), BOB, "ship it");
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).as("staging soaks 30 minutes first").isEmpty();
    f.clock.advance(Duration.ofMinutes(30));
    delivery.runPending();

    assertThat(f.version(f.prod, "prod")).contains("1.0");
    status = delivery.status("shop.shop");
    assertThat(status.run().orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(status.environments()).containsOnlyKeys("dev", "staging", "prod");
    assertThat(status.environments().values()).allSatisfy(d -> {
      assertThat(d.release()).isEqualTo(1);
      assertThat(d.digest()).isEqualTo(r.digest());
    });
    assertThat(status.run().orElseThrow().step("approve-prod").orElseThrow().decisions())
        .extracting(ReleaseStatus.Decision::subject, ReleaseStatus.Decision::digest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", r.digest()), org.assertj.core.groups.Tuple.tuple("bob", r.digest()));
    assertThat(f.plane.history("shop.shop-prod")).hasSize(1);
    assertThat(status.history()).singleElement().satisfies(h -> assertThat(h.phase()).isEqualTo(RunPhase.SUCCEEDED));
  }

  @Test
  void promotionRefusesAnEnvironmentThatDoesNotRunTheRelease() {
    Delivery delivery = f.delivery().build();
    Workflow skip = Workflow.builder("skip").step(Step.promote("to-prod", "staging", "prod", Duration.ZERO)).build();
    delivery.start(Fixture.shop("1.0"), skip, DANA, Origin.code());
    delivery.runPending();
    ReleaseStatus status = delivery.status("shop.shop");
    assertThat(status.run().orElseThrow().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(status.run().orElseThrow().message()).contains("staging does not run release 1 (it runs no release)");
    assertThat(f.version(f.prod, "prod")).isEmpty();
  }

  @Test
  void anApprovalOfOneReleaseNeverLetsTheNextOneThrough() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("gated")
        .step(Step.approval("approve", ApprovalRule.of(1, "alice", "bob")))
        .step(Step.apply("deploy-prod", "prod"))
        .build();
    Release seven = delivery.start(Fixture.shop("7"), wf, DANA, Origin.code());
    delivery.runPending();
    Release eight = delivery.start(Fixture.shop("8"), wf, DANA, Origin.code());
    assertThat(eight.digest()).isNotEqualTo(seven.digest());
    delivery.runPending();

    // alice looked at release 7 and approves it: the run now delivers 8, so this is refused
    assertThatThrownBy(() -> delivery.approve("shop.shop", "approve", seven.digest(), ALICE, "7 looks fine"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("delivers release 2");
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).isEmpty();
    ReleaseStatus status = delivery.status("shop.shop");
    assertThat(status.history()).singleElement().satisfies(h -> {
      assertThat(h.release()).isEqualTo(1);
      assertThat(h.phase()).isEqualTo(RunPhase.SUPERSEDED);
    });

    delivery.approve("shop.shop", "approve", eight.digest(), ALICE, "8 looks fine");
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).contains("8");
    // starting the model delivered already changes nothing: no release, no run
    assertThat(delivery.start(Fixture.shop("8"), wf, DANA, Origin.code()).number()).isEqualTo(2);
    assertThat(delivery.releases("shop.shop")).hasSize(2);
    assertThat(delivery.status("shop.shop").run().orElseThrow().number()).isEqualTo(2);
  }

  @Test
  void anApprovalGivenBeforeASupersedingReleaseDoesNotCarryOver() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("gated")
        .step(Step.approval("approve", ApprovalRule.of(1, "alice", "bob")))
        .step(Step.apply("deploy-prod", "prod"))
        .build();
    delivery.start(Fixture.shop("7"), wf, DANA, Origin.code());
    delivery.runPending();
    delivery.approve("shop.shop", "approve", ALICE, "7 ok");
    delivery.start(Fixture.shop("8"), wf, DANA, Origin.code());
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).as("release 7 was superseded before it ran, 8 is not approved").isEmpty();
    assertThat(delivery.status("shop.shop").activeSteps()).singleElement()
        .satisfies(s -> assertThat(s.decisions()).isEmpty());
  }

  @Test
  void aRejectionStopsTheRunAndAnUnansweredApprovalExpires() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("gated")
        .step(Step.approval("approve", ApprovalRule.ofGroups(1, "release-managers")).timeout(Duration.ofHours(1)))
        .step(Step.apply("deploy-prod", "prod"))
        .build();
    delivery.start(Fixture.shop("1"), wf, DANA, Origin.code());
    delivery.runPending();
    delivery.reject("shop.shop", "approve", Subject.of("rita", "release-managers"), "not on a Friday");
    delivery.runPending();
    ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.FAILED);
    assertThat(run.message()).contains("rejected by rita: not on a Friday");
    assertThat(run.step("deploy-prod").orElseThrow().phase()).isEqualTo(StepPhase.CANCELLED);

    delivery.start(Fixture.shop("2"), wf, DANA, Origin.code());
    delivery.runPending();
    f.clock.advance(Duration.ofMinutes(59));
    delivery.runPending();
    assertThat(delivery.status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.RUNNING);
    f.clock.advance(Duration.ofMinutes(1));
    delivery.runPending();
    run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.FAILED);
    assertThat(run.message()).contains("expired after 1h waiting for approval from 1 of group [release-managers]");
    assertThat(f.version(f.prod, "prod")).isEmpty();
  }

  @Test
  void aChangeWindowHoldsProdUntilItOpensOnThePlanesClock() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("windowed")
        .step(Step.apply("deploy-prod", "prod"))
        .window(ChangeWindow.allow("0 9 * * MON-FRI", Duration.ofHours(7), BERLIN, "prod"))
        .window(ChangeWindow.deny("0 0 20 12 *", Duration.ofDays(13), BERLIN, "prod"))
        .build();
    f.clock.advance(Duration.ofHours(7)); // Monday 17:00 in Berlin: closed
    delivery.start(Fixture.shop("1"), wf, DANA, Origin.code());
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).isEmpty();
    WaitingFor.Window waiting = (WaitingFor.Window) delivery.status("shop.shop").activeSteps().get(0).waitingFor().orElseThrow();
    assertThat(waiting.opensAt()).contains(Instant.parse("2026-03-03T08:00:00Z")); // Tuesday 09:00 Berlin
    assertThat(delivery.nextWakeUp()).contains(Instant.parse("2026-03-03T08:00:00Z"));

    f.clock.advance(Duration.between(f.clock.instant(), Instant.parse("2026-03-03T08:00:00Z")));
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).contains("1");
  }

  @Test
  void theYearEndFreezeBlocksUntilTheFirstWorkingMorningAndAnOverrideNeedsAnApproval() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("windowed")
        .step(Step.apply("deploy-prod", "prod"))
        .window(ChangeWindow.allow("0 9 * * 1-5", Duration.ofHours(7), BERLIN, "prod"))
        .window(ChangeWindow.deny("0 0 20 12 *", Duration.ofDays(13), BERLIN, "prod").overridableBy(ApprovalRule.ofGroups(1, "sre")))
        .build();
    f.clock.advance(Duration.between(f.clock.instant(), Instant.parse("2026-12-22T10:00:00Z"))); // Tuesday 11:00, frozen
    delivery.start(Fixture.shop("1"), wf, DANA, Origin.code());
    delivery.runPending();
    WaitingFor.Window waiting = (WaitingFor.Window) delivery.status("shop.shop").activeSteps().get(0).waitingFor().orElseThrow();
    // 2 January 2027 is a Saturday: the first allowed time is Monday 4 January, 09:00 in Berlin
    assertThat(waiting.opensAt()).contains(Instant.parse("2027-01-04T08:00:00Z"));
    assertThat(waiting.describe()).contains("deny prod \"0 0 20 12 *\"");

    assertThatThrownBy(() -> delivery.approveWindowOverride("shop.shop", "prod", BOB, "hotfix"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 of group [sre]");
    assertThatThrownBy(() -> delivery.approveWindowOverride("shop.shop", "prod", Subject.of("dana", "sre"), "mine"))
        .hasMessageContaining("author");
    delivery.approveWindowOverride("shop.shop", "prod", Subject.of("sam", "sre"), "payment outage hotfix");
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).contains("1");
  }

  @Test
  void aFailingHealthCheckRollsTheEnvironmentBackToTheReleaseBefore() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("dev-only")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.waitHealthy("healthy-dev", "dev", Duration.ZERO).timeout(Duration.ofMinutes(5)).onFailure(OnFailure.ROLLBACK))
        .build();
    delivery.start(Fixture.shop("1.0"), wf, DANA, Origin.code());
    delivery.runPending();
    assertThat(delivery.status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);

    delivery.start(Fixture.shopWithApi("2.0"), wf, DANA, Origin.code());
    delivery.runPending();
    assertThat(f.version(f.dev, "dev")).contains("2.0");
    ReleaseStatus.StepStatus waiting = delivery.status("shop.shop").activeSteps().get(0);
    assertThat(waiting.waitingFor().orElseThrow().describe()).contains("Deployment shop-dev/api (cluster dev)");

    f.clock.advance(Duration.ofMinutes(5));
    delivery.runPending();
    ReleaseStatus status = delivery.status("shop.shop");
    assertThat(status.run().orElseThrow().phase()).isEqualTo(RunPhase.ROLLED_BACK);
    assertThat(status.run().orElseThrow().message()).contains("timed out after 5m").contains("rolled back dev to release 1");
    assertThat(f.version(f.dev, "dev")).contains("1.0");
    assertThat(f.dev.get(new io.orchestrationplane.core.resource.ResourceKey("dev", "apps", "Deployment", "shop-dev", "api")))
        .as("release 1 has no api: the rollback pruned it").isEmpty();
    assertThat(status.environments().get("dev").release()).isEqualTo(1);
    assertThat(f.plane.history("shop.shop-dev").get(0).source().origin()).isEqualTo(Origin.rollbackOf(1));
  }

  @Test
  void stepsRunAsADagWithRetriesAndChecks() {
    AtomicInteger smokeRuns = new AtomicInteger();
    StepType smoke = new StepType() {
      @Override
      public String name() {
        return "smoke-test";
      }

      @Override
      public StepResult run(StepContext context) {
        smokeRuns.incrementAndGet();
        return context.attempt() == 1 ? StepResult.failed("502 from /healthz")
            : StepResult.succeeded("smoke test passed on " + context.environmentApplication("dev").id());
      }
    };
    Delivery delivery = f.delivery().stepType(smoke).build();
    Workflow wf = Workflow.builder("dag")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.of("smoke", "smoke-test", java.util.Map.of()).after("deploy-dev").retries(2, Duration.ofMinutes(1)))
        .step(Step.check("one-cluster", "dev", "clusters.size() == 3 && release.number == 1").after("deploy-dev"))
        .step(Step.apply("deploy-staging", "staging").after("smoke", "one-cluster"))
        .build();
    delivery.start(Fixture.shop("1"), wf, DANA, Origin.code());
    delivery.runPending();
    ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.step("one-cluster").orElseThrow().phase()).isEqualTo(StepPhase.SUCCEEDED);
    assertThat(run.step("smoke").orElseThrow().waitingFor()).get().isInstanceOf(WaitingFor.Retry.class);
    assertThat(f.version(f.staging, "staging")).isEmpty();

    f.clock.advance(Duration.ofMinutes(1));
    delivery.runPending();
    run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(run.step("smoke").orElseThrow().attempts()).isEqualTo(2);
    assertThat(smokeRuns).hasValue(2);
    assertThat(f.version(f.staging, "staging")).contains("1");
  }

  @Test
  void aCheckThatDoesNotHoldFailsAfterItsRetries() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("checked")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.check("three-resources", "dev", "status.resources.size() == 3").retries(1, Duration.ofSeconds(30)))
        .build();
    delivery.start(Fixture.shop("1"), wf, DANA, Origin.code());
    delivery.runPending();
    f.clock.advance(Duration.ofSeconds(30));
    delivery.runPending();
    ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.FAILED);
    assertThat(run.step("three-resources").orElseThrow().attempts()).isEqualTo(2);
    assertThat(run.message()).contains("check does not hold: status.resources.size() == 3");
  }

  @Test
  void aPlatformDefaultWorkflowServesApplicationsThatNameNone() {
    Delivery none = f.delivery().build();
    assertThatThrownBy(() -> none.start(Fixture.shop("1"), DANA, Origin.code())).hasMessageContaining("no default workflow");
    Delivery delivery = f.delivery().defaultWorkflow(Workflow.builder("platform").step(Step.apply("deploy-dev", "dev")).build()).build();
    delivery.start(Fixture.shop("1"), DANA, Origin.code());
    delivery.runPending();
    assertThat(delivery.status("shop.shop").run().orElseThrow().workflow()).isEqualTo("platform");
    assertThat(f.version(f.dev, "dev")).contains("1");
  }

  @Test
  void startValidatesTheWorkflowAgainstTheApplicationAndTheDelivery() {
    Delivery delivery = f.delivery().build();
    Workflow wf = Workflow.builder("bad")
        .step(Step.apply("deploy-qa", "qa"))
        .step(Step.notify("tell", "chat", "hello"))
        .step(Step.of("custom", "canary-analysis", java.util.Map.of()))
        .build();
    assertThatThrownBy(() -> delivery.start(Fixture.shop("1"), wf, DANA, Origin.code()))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).problems()).extracting(p -> p.path()).containsExactly(
            "spec.steps[0].properties.environment", "spec.steps[1].properties.notifier", "spec.steps[2].type"))
        .hasMessageContaining("has no environment 'qa'");
    assertThat(delivery.status("shop.shop").run()).isEmpty();
    assertThat(delivery.releases("shop.shop")).isEmpty();
  }

  @Test
  void statusExplainsWhatRunsWhereAndWhatTheRunWaitsFor() {
    Delivery delivery = f.delivery().build();
    delivery.start(Fixture.shop("1.0"), promotion(), DANA, Origin.code());
    delivery.runPending();
    f.clock.advance(Duration.ofMinutes(10));
    delivery.runPending();
    delivery.approve("shop.shop", "approve-prod", ALICE, "ok");
    String text = delivery.status("shop.shop").toText();
    assertThat(text).contains("dev: release 1").contains("staging: release 1")
        .contains("WAITING    approve-prod (approval): waiting for approval from 2 of [alice, bob, carol], not the author; approved so far by [alice]")
        .contains("SUCCEEDED  to-staging (promote)")
        .contains("PENDING    to-prod (promote)");
    assertThat(List.of(text.split("\n"))).first().isEqualTo("Application shop.shop");
  }
}
