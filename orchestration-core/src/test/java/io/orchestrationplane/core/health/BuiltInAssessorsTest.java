package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.api.Test;

/** Messages and cases the Argo CD corpus does not cover. */
class BuiltInAssessorsTest {
  private final HealthAssessors health = HealthAssessors.defaults();

  private HealthStatus assess(String yaml) {
    return health.assess(Resource.fromYaml(yaml));
  }

  @Test
  void aDeploymentWithUnavailableReplicasSaysHowMany() {
    assertThat(assess("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, generation: 2}
        spec: {replicas: 3}
        status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 0}
        """)).isEqualTo(HealthStatus.progressing(
            "Deployment shop/api: Waiting for rollout to finish: 0 of 3 updated replicas are available..."));
  }

  @Test
  void aDeploymentWhoseGenerationIsNotObservedIsProgressing() {
    assertThat(assess("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, generation: 3}
        spec: {replicas: 1}
        status: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
        """)).isEqualTo(HealthStatus.progressing(
            "Deployment shop/api: Waiting for rollout to finish: observed deployment generation less than desired generation"));
  }

  @Test
  void aReplicaSetThatCannotCreatePodsIsDegraded() {
    assertThat(assess("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: api-1, namespace: shop, generation: 1}
        spec: {replicas: 2}
        status:
          observedGeneration: 1
          conditions:
          - {type: ReplicaFailure, status: "True", reason: FailedCreate, message: 'pods "api-1-x" is forbidden: exceeded quota'}
        """)).isEqualTo(HealthStatus.degraded(
            "ReplicaSet shop/api-1: pods \"api-1-x\" is forbidden: exceeded quota"));
  }

  @Test
  void aStatefulSetWithAPartitionIsHealthyOnceThePartitionIsUpdated() {
    String yaml = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop, generation: 2}
        spec: {replicas: 3, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}
        status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: %d, currentRevision: a, updateRevision: b}
        """;
    assertThat(assess(yaml.formatted(0)).health()).isEqualTo(Health.PROGRESSING);
    assertThat(assess(yaml.formatted(1)))
        .isEqualTo(HealthStatus.healthy("StatefulSet shop/db: partitioned roll out complete: 1 new pods have been updated..."));
  }

  @Test
  void aCronJobIsJudgedByItsLastRun() {
    String yaml = """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec: {schedule: "0 * * * *", suspend: %s}
        status: %s
        """;
    assertThat(assess(yaml.formatted("false", "{}")))
        .isEqualTo(HealthStatus.healthy("CronJob shop/report has not run yet (schedule 0 * * * *)"));
    assertThat(assess(yaml.formatted("true", "{}")).health()).isEqualTo(Health.SUSPENDED);
    assertThat(assess(yaml.formatted("false",
        "{lastScheduleTime: '2026-01-01T02:00:00Z', lastSuccessfulTime: '2026-01-01T02:00:40Z'}")).health())
        .isEqualTo(Health.HEALTHY);
    assertThat(assess(yaml.formatted("false",
        "{lastScheduleTime: '2026-01-01T02:00:00Z', lastSuccessfulTime: '2026-01-01T01:00:40Z'}")))
        .isEqualTo(HealthStatus.degraded("CronJob shop/report: the run scheduled at 2026-01-01T02:00:00Z did not succeed"
            + " (last success 2026-01-01T01:00:40Z)"));
    assertThat(assess(yaml.formatted("false",
        "{lastScheduleTime: '2026-01-01T02:00:00Z', active: [{name: report-1}]}")).health())
        .isEqualTo(Health.HEALTHY);
  }

  @Test
  void aCronJobWithAGarbledTimestampIsUnknown() {
    assertThat(assess("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec: {schedule: "0 * * * *"}
        status: {lastScheduleTime: yesterday}
        """).health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void aPersistentVolumeClaimThatLostItsVolumeIsDegraded() {
    assertThat(assess("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: shop}
        spec: {volumeName: pv-1}
        status: {phase: Lost}
        """)).isEqualTo(HealthStatus.degraded("PersistentVolumeClaim shop/data"));
  }

  @Test
  void aNamespaceIsHealthyUnlessTerminating() {
    assertThat(assess("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n").health()).isEqualTo(Health.HEALTHY);
    assertThat(assess("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\nstatus: {phase: Terminating}\n"))
        .isEqualTo(HealthStatus.progressing("Namespace shop is terminating"));
  }

  @Test
  void aCustomResourceDefinitionWithClashingNamesIsDegraded() {
    String yaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        status:
          conditions:
          - {type: NamesAccepted, status: "%s", reason: %s, message: "%s"}
        """;
    assertThat(assess(yaml.formatted("False", "ListKindConflict", "\\\"WidgetList\\\" is already in use")))
        .isEqualTo(HealthStatus.degraded(
            "CustomResourceDefinition widgets.example.com: CRD names have not been accepted: \"WidgetList\" is already in use"));
    // Names accepted but never established: Argo CD calls it DEGRADED, and so do we.
    assertThat(assess(yaml.formatted("True", "NoConflicts", "no conflicts found")))
        .isEqualTo(HealthStatus.degraded("CustomResourceDefinition widgets.example.com: CRD is not established"));
  }

  @Test
  void aCrashLoopingPodGivesItsWaitingMessage() {
    assertThat(assess("""
        apiVersion: v1
        kind: Pod
        metadata: {name: api-1, namespace: shop}
        spec: {containers: [{name: app, image: x}]}
        status:
          phase: Running
          containerStatuses:
          - name: app
            state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container=app}}
        """)).isEqualTo(HealthStatus.degraded(
            "Pod shop/api-1: back-off 5m0s restarting failed container=app"));
  }

  @Test
  void aPodWithAnUnexpectedPhaseIsUnknown() {
    assertThat(assess("""
        apiVersion: v1
        kind: Pod
        metadata: {name: api-1, namespace: shop}
        status: {phase: Evicted}
        """)).isEqualTo(HealthStatus.unknown("Pod shop/api-1"));
  }

  @Test
  void anHpaV1AnnotationThatIsNotJsonIsUnknown() {
    assertThat(assess("""
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata:
          name: api
          namespace: shop
          annotations: {autoscaling.alpha.kubernetes.io/conditions: "[{"}
        """).health()).isEqualTo(Health.UNKNOWN);
  }
}
