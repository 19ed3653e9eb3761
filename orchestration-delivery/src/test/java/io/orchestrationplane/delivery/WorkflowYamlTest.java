package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WorkflowYamlTest {
  private static final String YAML = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Workflow
      metadata: {name: shop-release}
      spec:
        windows:
          - kind: allow
            environments: [prod]
            schedule: "0 9 * * MON-FRI"
            duration: 7h
            timeZone: Europe/Berlin
          - kind: deny
            environments: [prod]
            schedule: "0 0 20 12 *"
            duration: 13d
            timeZone: Europe/Berlin
            override: {required: 1, groups: [sre]}
        steps:
          - name: deploy-dev
            type: apply
            properties: {environment: dev}
          - name: smoke
            type: check
            properties: {environment: dev, expression: "status.phase == 'READY'"}
            retries: 3
            retryDelay: 1m
          - name: to-prod
            type: promote
            dependsOn: [smoke]
            timeout: 2h
            onFailure: rollback
            properties: {from: dev, to: prod, soak: 30m}
      """;

  @Test
  void readsTheYamlFormAndWritesItBack() {
    Workflow w = Workflow.fromYaml(YAML);
    assertThat(w.steps()).extracting(Step::name).containsExactly("deploy-dev", "smoke", "to-prod");
    assertThat(w.step("smoke").orElseThrow().dependsOn()).containsExactly("deploy-dev");
    assertThat(w.step("to-prod").orElseThrow().onFailure()).isEqualTo(OnFailure.ROLLBACK);
    assertThat(w.step("to-prod").orElseThrow().timeout()).isEqualTo(Duration.ofHours(2));
    assertThat(w.windows().get(1).override()).isEqualTo(ApprovalRule.ofGroups(1, "sre"));
    assertThat(w.environments()).containsExactly("dev", "prod");
    assertThat(Workflow.fromYaml(w.toYaml())).isEqualTo(w);
  }

  @Test
  void reportsEveryProblemWithItsPathAndLine() {
    String bad = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Workflow
        metadata: {name: shop-release}
        spec:
          windows:
            - kind: allow
              schedule: "0 25 * * *"
              duration: 7h
              timeZone: Mars/Olympus
          steps:
            - name: deploy-dev
              type: apply
              properties: {environmnet: dev}
            - name: smoke
              type: check
              properties: {expression: "status.phase =="}
              retryDelay: soon
            - name: to-prod
              type: promote
              dependsOn: [smoke, nope]
              properties: {from: dev, to: prod}
        """;
    assertThatThrownBy(() -> Workflow.fromYaml(bad)).isInstanceOf(ValidationException.class).satisfies(e -> {
      var problems = ((ValidationException) e).problems();
      assertThat(problems).extracting(Problem::path).contains("spec.windows[0].schedule", "spec.windows[0].timeZone",
          "spec.steps[1].retryDelay");
      assertThat(problems).filteredOn(p -> p.path().equals("spec.windows[0].schedule")).singleElement()
          .satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).contains("field hour: 25 is outside 0-23");
          });
    });
    // structure first, then the model's rules, with lines too
    String semantic = bad.replace("Mars/Olympus", "UTC").replace("0 25", "0 9").replace("soon", "1m");
    assertThatThrownBy(() -> Workflow.fromYaml(semantic)).isInstanceOf(ValidationException.class).satisfies(e -> {
      var problems = ((ValidationException) e).problems();
      assertThat(problems).extracting(Problem::path).containsExactly("spec.steps[0].properties.environmnet",
          "spec.steps[0].properties.environment", "spec.steps[1].properties.expression", "spec.steps[2].dependsOn[1]");
      assertThat(problems.get(0).line()).isEqualTo(13);
      assertThat(problems.get(2).message()).contains("does not compile at line 1, column");
      assertThat(problems.get(3).message()).isEqualTo("no step named 'nope'");
    });
  }

  @Test
  void aValueOfTheWrongShapeIsAProblemAtItsFieldNeverARawException() {
    String wrong = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Workflow
        metadata: {name: shop-release}
        spec:
          windows:
            - kind: deny
              environments: [[prod]]
              schedule: "0 0 * * *"
              duration: {hours: 7}
              override: {required: null, groups: [sre]}
          steps:
            - name: deploy-dev
              type: apply
              properties: {environment: dev}
              timeout: [1h]
              retries: 99999999999
              retryDelay: 99999999999999999999d
        """;
    assertThatThrownBy(() -> Workflow.fromYaml(wrong)).isInstanceOf(ValidationException.class).satisfies(e -> {
      var problems = ((ValidationException) e).problems();
      assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder(
          "spec.windows[0].environments[0]", "spec.windows[0].duration", "spec.windows[0].override",
          "spec.steps[0].timeout", "spec.steps[0].retries", "spec.steps[0].retryDelay");
      assertThat(problems).allMatch(p -> p.line() > 0);
      assertThat(problems).filteredOn(p -> p.path().equals("spec.windows[0].override")).singleElement()
          .satisfies(p -> assertThat(p.message()).isEqualTo("required: must be a number, got null"));
      assertThat(problems).filteredOn(p -> p.path().equals("spec.steps[0].retryDelay")).singleElement()
          .satisfies(p -> assertThat(p.message()).isEqualTo("'99999999999999999999d' is longer than a duration can be"));
    });
    // an approval step's null rule fields, once the document's own shape is right
    assertThatThrownBy(() -> Workflow.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Workflow
        metadata: {name: shop-release}
        spec:
          steps:
            - name: approve
              type: approval
              properties: {required: null, allowAuthor: null}
        """)).isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).problems())
        .extracting(Problem::message).containsExactly("required: must be a number, got null"));
    assertThatThrownBy(() -> Workflow.parseDuration("106751991167301d")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'106751991167301d' is longer than a duration can be");
    // a number of approvals is a whole number an int holds: refused, never truncated
    for (String required : java.util.List.of("1.5", "99999999999", "-2147483649", "1e100")) {
      assertThatThrownBy(() -> Workflow.fromYaml("""
          apiVersion: orchestrationplane.io/v1alpha1
          kind: Workflow
          metadata: {name: shop-release}
          spec:
            steps:
              - name: approve
                type: approval
                properties: {required: %s}
          """.formatted(required))).as(required).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).problems()).extracting(Problem::message)
              .singleElement().asString().startsWith("required: '").contains("is not a whole number"));
    }
    assertThat(Workflow.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Workflow
        metadata: {name: shop-release}
        spec:
          steps:
            - name: approve
              type: approval
              properties: {required: 2.0, approvers: [alice, bob]}
        """).steps()).singleElement().satisfies(s -> assertThat(io.orchestrationplane.delivery.internal.WorkflowRules.approvalRule(s).required()).isEqualTo(2));
  }

  @Test
  void aDurationTooLongForTheClockIsAProblemAtItsFieldNotAnOverflowWhenTheReleaseStarts() {
    // each parsed, and the release's start then failed with "long overflow" formatting or adding it
    assertThatThrownBy(() -> Workflow.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Workflow
        metadata: {name: shop-release}
        spec:
          steps:
            - {name: a, type: apply, timeout: PT2562047788015215H, properties: {environment: dev}}
            - {name: b, type: apply, retries: 1, retryDelay: P106751991167300D, properties: {environment: staging}}
        """)).isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).problems())
        .extracting(Problem::path, Problem::message).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("spec.steps[0].timeout", "'PT2562047788015215H' is longer than 100 years (36500d)"),
            org.assertj.core.groups.Tuple.tuple("spec.steps[1].retryDelay", "'P106751991167300D' is longer than 100 years (36500d)")));
    assertThatThrownBy(() -> Workflow.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Workflow
        metadata: {name: shop-release}
        spec:
          steps:
            - {name: c, type: promote, properties: {from: dev, to: prod, soak: 36501d}}
        """)).isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).problems())
        .extracting(Problem::path, Problem::message).containsExactly(
            org.assertj.core.groups.Tuple.tuple("spec.steps[0].properties.soak", "'36501d' is longer than 100 years (36500d)")));
    assertThatThrownBy(() -> Workflow.builder("w").step(Step.apply("a", "dev").timeout(Duration.ofSeconds(Long.MAX_VALUE)))
        .build()).isInstanceOf(ValidationException.class).hasMessageContaining("spec.steps[0].timeout")
        .hasMessageContaining("must be at most 100 years");
    assertThatThrownBy(() -> ChangeWindow.allow("0 9 * * *", Duration.ofDays(36_501), ZoneId.of("UTC")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 100 years");
    assertThat(Workflow.parseDuration("36500d")).isEqualTo(Workflow.MAX_DURATION);
  }

  @Test
  void aCycleIsNamed() {
    assertThatThrownBy(() -> Workflow.builder("loop")
        .step(Step.apply("a", "dev").after("c"))
        .step(Step.apply("b", "dev").after("a"))
        .step(Step.apply("c", "dev").after("b"))
        .build()).isInstanceOf(ValidationException.class).hasMessageContaining("cycle: a -> c -> b -> a");
  }

  @Test
  void cronFollowsCrontab() {
    CronSchedule weekdays = CronSchedule.parse("*/15 9-16 * * 1-5");
    assertThat(weekdays.matches(LocalDateTime.of(2026, 3, 2, 9, 45))).isTrue(); // Monday
    assertThat(weekdays.matches(LocalDateTime.of(2026, 3, 2, 9, 46))).isFalse();
    assertThat(weekdays.matches(LocalDateTime.of(2026, 3, 7, 10, 0))).isFalse(); // Saturday
    // day-of-month and day-of-week both restricted: either matches
    CronSchedule either = CronSchedule.parse("0 0 13 * FRI");
    assertThat(either.matches(LocalDateTime.of(2026, 3, 13, 0, 0))).isTrue();
    assertThat(either.matches(LocalDateTime.of(2026, 3, 6, 0, 0))).isTrue();
    assertThat(either.matches(LocalDateTime.of(2026, 3, 7, 0, 0))).isFalse();
    assertThat(CronSchedule.parse("0 0 * * 7").matches(LocalDateTime.of(2026, 3, 8, 0, 0))).as("7 is Sunday").isTrue();
    assertThat(weekdays.nextAfter(LocalDateTime.of(2026, 3, 6, 16, 50))).contains(LocalDateTime.of(2026, 3, 9, 9, 0));
    assertThat(weekdays.latestAtOrBefore(LocalDateTime.of(2026, 3, 9, 8, 0))).contains(LocalDateTime.of(2026, 3, 6, 16, 45));
    assertThatThrownBy(() -> CronSchedule.parse("0 9 * *")).hasMessageContaining("has 4 fields");
    assertThatThrownBy(() -> CronSchedule.parse("0 9 * FOO *")).hasMessageContaining("field month");
  }

  @Test
  void windowsFollowTheirTimeZoneAcrossDaylightSavingTime() {
    ChangeWindow mornings = ChangeWindow.allow("0 9 * * *", Duration.ofHours(1), ZoneId.of("Europe/Berlin"));
    // 29 March 2026: Berlin moves from UTC+1 to UTC+2
    assertThat(mornings.isOpen(java.time.Instant.parse("2026-03-28T08:30:00Z"))).isTrue();
    assertThat(mornings.isOpen(java.time.Instant.parse("2026-03-29T08:30:00Z"))).isFalse();
    assertThat(mornings.isOpen(java.time.Instant.parse("2026-03-29T07:30:00Z"))).isTrue();
    assertThat(mornings.nextOpening(java.time.Instant.parse("2026-03-28T09:00:00Z")))
        .contains(java.time.Instant.parse("2026-03-29T07:00:00Z"));
  }

  @Test
  void durationsReadAsWritten() {
    assertThat(Workflow.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Workflow.parseDuration("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Workflow.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThatThrownBy(() -> Workflow.parseDuration("10 minutes")).hasMessageContaining("not a duration");
  }
}
