package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Operator mode with hostile Application objects: each gets a status saying what is wrong with
 * it, none stops the operator or the plane, and a valid one next to them converges.
 */
class HostileApplicationTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster ops = InMemoryCluster.builder("ops").clock(clock).build();
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock).scheduler(scheduler).workers(0).cluster(ops).build();
  private final ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build();

  @AfterEach
  void close() {
    operator.close();
    plane.close();
    scheduler.close();
  }

  private static Resource application(String name, String specYaml) {
    return Resource.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: team-a}
        """.formatted(name) + specYaml);
  }

  private static ResourceKey key(String name) {
    return ResourceKey.of("ops", ApplicationCrd.GROUP, ApplicationCrd.KIND, "team-a", name);
  }

  @Test
  void specsOfWrongTypesGetAnInvalidSpecStatusAndTheOthersConverge() {
    operator.start();
    plane.start();
    List<Resource> hostile = List.of(
        application("string-spec", "spec: just a string\n"),
        application("list-spec", "spec: [1, 2]\n"),
        application("number-components", "spec: {components: 42}\n"),
        application("null-component", "spec: {components: [null]}\n"),
        application("object-name", "spec: {components: [{name: {a: 1}, type: k8s-objects}]}\n"),
        application("deep-properties", "spec: {components: [{name: c, type: k8s-objects, properties: "
            + "{objects: [{apiVersion: v1, kind: ConfigMap, metadata: {name: [x]}}]}}]}\n"));
    hostile.forEach(ops::apply);
    ops.apply(application("fine", """
        spec:
          components:
            - name: config
              type: k8s-objects
              properties:
                objects:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: fine-config}, data: {mode: fast}}
        """));
    plane.runPending();

    for (Resource r : hostile) {
      Resource object = ops.get(key(r.name())).orElseThrow();
      assertThat(object.at("/status/phase").asString()).as(r.name()).isEqualTo("DEGRADED");
      assertThat(object.at("/status/lastError").asString()).as(r.name()).isNotEmpty();
    }
    assertThat(ops.get(key("fine")).orElseThrow().at("/status/phase").asString()).isEqualTo("READY");
    assertThat(ops.get(ResourceKey.of("ops", "", "ConfigMap", "team-a", "fine-config"))).isPresent();
  }

  @Test
  void aRequestedByAnnotationWithControlCharactersOrOfHugeLengthActsAsTheProject() {
    Resource spoofed = application("spoofed", "spec: {components: []}\n")
        .withAnnotation(ApplicationOperator.REQUESTED_BY_ANNOTATION, "alice\n2026-12-05 INFO forged line\u001b[2J");
    assertThat(operator.subjectOf(spoofed).name()).isEqualTo("proj:default");
    Resource longName = application("long", "spec: {components: []}\n")
        .withAnnotation(ApplicationOperator.REQUESTED_BY_ANNOTATION, "a".repeat(100_000));
    assertThat(operator.subjectOf(longName).name()).isEqualTo("proj:default");
  }
}
