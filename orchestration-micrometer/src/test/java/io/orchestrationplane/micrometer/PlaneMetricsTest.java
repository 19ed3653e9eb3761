package io.orchestrationplane.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 17, item 5: a scripted run of continuous mode on a fake clock (two applications, one
 * drift correction, one denial), then a Prometheus scrape: controller-runtime's names and tags,
 * and the plane's own metrics, with the values the script makes.
 */
class PlaneMetricsTest {
  static final String NO_FORBIDDEN = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: no-forbidden-config}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"]}
        validations:
          - expression: "!has(object.data) || !has(object.data.mode) || object.data.mode != 'forbidden'"
            message: "mode forbidden is not allowed"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: no-forbidden-config}
      spec: {policyName: no-forbidden-config, validationActions: [Deny]}
      """;

  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PlaneMetrics metrics = PlaneMetrics.create(registry);
  private final OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
      .cluster(metrics.instrument(prod)).observer(metrics)
      .policies(PolicyEngine.builder().policies(PolicyLoader.load(NO_FORBIDDEN)).build())
      .build();

  @AfterEach
  void close() {
    plane.close();
    scheduler.close();
  }

  static Application app(String name, String mode) {
    return Application.builder(name).namespace("shop")
        .component(Component.builder("config", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: %s}
            data: {mode: %s}
            """.formatted(name, mode)).build())
        .build();
  }

  /** The scrape's line for a series, as {@code name{tags} value}; fails when missing. */
  static double value(String scrape, String series) {
    List<String> lines = Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(series + " ")).toList();
    assertThat(lines).as("series %s in the scrape", series).hasSize(1);
    return Double.parseDouble(lines.get(0).substring(series.length() + 1));
  }

  @Test
  void aScriptedRunScrapesUnderControllerRuntimesNamesAndThePlanesOwn() {
    metrics.bindApplications(plane::statuses);
    metrics.bindCircuitBreaker("prod", () -> Thread.State.RUNNABLE);
    plane.start();
    plane.submit(app("shop", "normal"));
    clock.advance(Duration.ofMillis(250)); // queued for 250 ms before a worker takes it
    assertThat(plane.runPending()).isEqualTo(2); // the apply, then the follow-up of its own watch event

    Resource live = prod.get(ResourceKey.of("prod", "", "ConfigMap", "shop", "shop")).orElseThrow();
    prod.update(live.edit(t -> ((ObjectNode) t.get("data")).put("mode", "edited")));
    assertThat(plane.runPending()).isEqualTo(2); // the drift correction, then its follow-up

    plane.submit(app("blocked", "forbidden"));
    plane.runPending();

    String scrape = registry.scrape();
    String c = "controller=\"orchestration-plane\"";
    String q = "controller=\"orchestration-plane\",name=\"orchestration-plane\"";
    // 4 succeeded (two applies, two follow-ups); the denied application ended in a terminal error
    assertThat(value(scrape, "controller_runtime_reconcile_total{" + c + ",result=\"success\"}")).isEqualTo(4);
    assertThat(value(scrape, "controller_runtime_reconcile_total{" + c + ",result=\"error\"}")).isEqualTo(1);
    assertThat(value(scrape, "controller_runtime_reconcile_errors_total{" + c + "}")).isEqualTo(1);
    assertThat(value(scrape, "controller_runtime_terminal_reconcile_errors_total{" + c + "}")).isEqualTo(1);
    assertThat(value(scrape, "controller_runtime_reconcile_time_seconds_count{" + c + "}")).isEqualTo(5);
    assertThat(scrape).contains("controller_runtime_reconcile_time_seconds_bucket{" + c + ",le=\"0.005\"}");
    assertThat(value(scrape, "workqueue_adds_total{" + q + "}")).isEqualTo(5);
    assertThat(value(scrape, "workqueue_depth{" + q + "}")).isEqualTo(0);
    assertThat(value(scrape, "workqueue_queue_duration_seconds_count{" + q + "}")).isEqualTo(5);
    assertThat(value(scrape, "workqueue_work_duration_seconds_count{" + q + "}")).isEqualTo(5);
    // the first key waited 250 ms: in the 1 s bucket, not in the 0.1 s one
    assertThat(value(scrape, "workqueue_queue_duration_seconds_bucket{" + q + ",le=\"0.1\"}")).isEqualTo(4);
    assertThat(value(scrape, "workqueue_queue_duration_seconds_bucket{" + q + ",le=\"1.0\"}")).isEqualTo(5);

    // created: the ConfigMap and the application's inventory (a ConfigMap too); updated: the drift correction
    assertThat(value(scrape, "orchestration_plane_writes_total{group=\"\",kind=\"ConfigMap\",result=\"created\"}"))
        .isEqualTo(2);
    assertThat(value(scrape, "orchestration_plane_writes_total{group=\"\",kind=\"ConfigMap\",result=\"updated\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_drift_corrected_total")).isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_policy_denials_total{policy=\"no-forbidden-config\"}")).isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_applications{phase=\"ready\"}")).isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_applications{phase=\"degraded\"}")).isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_circuit_breaker_state{cluster=\"prod\",state=\"runnable\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_circuit_breaker_state{cluster=\"prod\",state=\"blocked\"}"))
        .isEqualTo(0);
    assertThat(value(scrape, "orchestration_plane_api_requests_total{cluster=\"prod\",operation=\"create\","
        + "outcome=\"success\"}")).isEqualTo(2);
    assertThat(value(scrape, "orchestration_plane_api_requests_total{cluster=\"prod\",operation=\"list\","
        + "outcome=\"success\"}")).isPositive();
  }

  @Test
  void finishedWorkflowStepsFillTheStepDurationHistogramByTypeAndOutcome() {
    java.time.Instant t = java.time.Instant.parse("2026-03-02T09:00:00Z");
    io.orchestrationplane.core.observe.Subject dana = io.orchestrationplane.core.observe.Subject.of("dana");
    metrics.observe(new io.orchestrationplane.core.observe.PlaneRecord.StepFinished(t, dana, "shop.shop", "deploy-dev",
        "apply", "dev", io.orchestrationplane.core.observe.PlaneRecord.StepFinished.Outcome.SUCCEEDED,
        Duration.ofSeconds(12), 1));
    metrics.observe(new io.orchestrationplane.core.observe.PlaneRecord.StepFinished(t, dana, "shop.shop", "deploy-prod",
        "apply", "prod", io.orchestrationplane.core.observe.PlaneRecord.StepFinished.Outcome.SUCCEEDED,
        Duration.ofMinutes(20), 2));
    metrics.observe(new io.orchestrationplane.core.observe.PlaneRecord.StepFinished(t, dana, "shop.shop", "approve",
        "approval", "", io.orchestrationplane.core.observe.PlaneRecord.StepFinished.Outcome.TIMED_OUT,
        Duration.ofDays(1), 1));
    String scrape = registry.scrape();
    String apply = "outcome=\"succeeded\",step_type=\"apply\"";
    assertThat(value(scrape, "orchestration_plane_workflow_step_duration_seconds_count{" + apply + "}")).isEqualTo(2);
    assertThat(value(scrape, "orchestration_plane_workflow_step_duration_seconds_sum{" + apply + "}")).isEqualTo(1212);
    assertThat(value(scrape, "orchestration_plane_workflow_step_duration_seconds_bucket{" + apply + ",le=\"15.0\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, "orchestration_plane_workflow_step_duration_seconds_bucket{" + apply + ",le=\"1800.0\"}"))
        .isEqualTo(2);
    String expired = "outcome=\"timed_out\",step_type=\"approval\"";
    assertThat(value(scrape, "orchestration_plane_workflow_step_duration_seconds_bucket{" + expired + ",le=\"28800.0\"}"))
        .isZero();
    assertThat(value(scrape, "orchestration_plane_workflow_step_duration_seconds_bucket{" + expired + ",le=\"86400.0\"}"))
        .isEqualTo(1);
  }
}
