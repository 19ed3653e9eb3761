package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in assessors against Argo CD's health semantics (gitops-engine {@code pkg/health}),
 * one row per rule: the statuses Argo CD gives objects of each shape, on objects written here
 * from the documented fields. Where docs/health.md lists a deliberate difference, the row
 * expects ours and says so. The real upstream fixtures are in {@link HealthCorpusConformanceTest}.
 */
class ArgoHealthParityTest {
  private static final HealthAssessors HEALTH = HealthAssessors.defaults();

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void getsArgoCdsStatus(String name, Health expected, String yaml) {
    HealthStatus actual = HEALTH.assess(Resource.fromYaml(yaml));
    assertThat(actual.health()).as("%s: %s", name, actual).isEqualTo(expected);
  }

  private static Arguments row(String name, Health expected, String yaml) {
    return Arguments.of(name, expected, yaml);
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop, generation: %d}
      spec: {replicas: 3, paused: %s}
      status:
        observedGeneration: %d
        replicas: %d
        updatedReplicas: %d
        availableReplicas: %d
        conditions:
        - {type: Progressing, status: "%s", reason: %s}
      """;

  private static String deployment(int generation, boolean paused, int observed, int replicas, int updated,
      int available, String progressing) {
    String status = "ProgressDeadlineExceeded".equals(progressing) ? "False" : "True";
    return DEPLOYMENT.formatted(generation, paused, observed, replicas, updated, available, status, progressing);
  }

  private static final String STATEFUL_SET = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db, namespace: shop, generation: 2}
      spec: {replicas: 3, updateStrategy: %s}
      status: {observedGeneration: %d, readyReplicas: %d, updatedReplicas: %d, currentRevision: %s, updateRevision: db-2}
      """;

  private static String statefulSet(String strategy, int observed, int ready, int updated, String currentRevision) {
    return STATEFUL_SET.formatted(strategy, observed, ready, updated, currentRevision);
  }

  private static final String DAEMON_SET = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent, namespace: ops, generation: 4}
      spec: {updateStrategy: {type: %s}}
      status: {observedGeneration: %d, desiredNumberScheduled: %d, updatedNumberScheduled: %d, numberAvailable: %d}
      """;

  private static final String REPLICA_SET = """
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata: {name: api-7d9f, namespace: shop, generation: 2}
      spec: {replicas: 2}
      status:
        observedGeneration: %d
        availableReplicas: %d
        conditions:
        - {type: ReplicaFailure, status: "%s", reason: FailedCreate, message: exceeded quota}
      """;

  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: api-1, namespace: shop}
      spec: {restartPolicy: %s, containers: [{name: app, image: shop/api:1}]}
      status:
        phase: %s
        conditions:
        - {type: Ready, status: "%s"}
        containerStatuses:
        - name: app
          ready: %s
          restartCount: %d
          state: %s
          lastState: %s
      """;

  private static String pod(String restartPolicy, String phase, boolean ready, String state, String lastState) {
    String readyText = ready ? "True" : "False";
    int restarts = lastState.contains("terminated") ? 3 : 0;
    return POD.formatted(restartPolicy, phase, readyText, ready, restarts, state, lastState);
  }

  private static final String JOB = """
      apiVersion: batch/v1
      kind: Job
      metadata: {name: migrate, namespace: shop}
      spec: {suspend: %s, template: {spec: {restartPolicy: Never, containers: [{name: m, image: shop/migrate:1}]}}}
      status: %s
      """;

  private static final String CRON_JOB = """
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: report, namespace: shop}
      spec: {schedule: "0 * * * *"}
      status: %s
      """;

  private static final String PVC = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, namespace: shop}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
      status: {phase: %s}
      """;

  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec: {type: %s, ports: [{port: 80}]}
      status: {loadBalancer: %s}
      """;

  private static final String INGRESS = """
      apiVersion: %s
      kind: Ingress
      metadata: {name: web, namespace: shop}
      spec: {rules: [{host: shop.example.com}]}
      status: {loadBalancer: %s}
      """;

  private static final String HPA_V2 = """
      apiVersion: autoscaling/%s
      kind: HorizontalPodAutoscaler
      metadata: {name: api, namespace: shop}
      spec: {minReplicas: 1, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
      status: {currentReplicas: 1, desiredReplicas: 1, conditions: %s}
      """;

  private static final String HPA_V1 = """
      apiVersion: autoscaling/v1
      kind: HorizontalPodAutoscaler
      metadata:
        name: api
        namespace: shop
        annotations: {autoscaling.alpha.kubernetes.io/conditions: '%s'}
      spec: {minReplicas: 1, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
      status: {currentReplicas: 1, desiredReplicas: 1}
      """;

  private static final String API_SERVICE = """
      apiVersion: apiregistration.k8s.io/%s
      kind: APIService
      metadata: {name: v1beta1.metrics.k8s.io}
      spec: {group: metrics.k8s.io, version: v1beta1, service: {name: metrics-server, namespace: kube-system}}
      status: {conditions: %s}
      """;

  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}}
      status: {conditions: %s}
      """;

  private static final String WORKFLOW = """
      apiVersion: argoproj.io/v1alpha1
      kind: Workflow
      metadata: {name: build-x7k2p, namespace: ci}
      spec: {entrypoint: main}
      status: %s
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        // Deployment: paused first, then nothing counts until the generation is observed.
        row("Deployment rolled out", Health.HEALTHY, deployment(2, false, 2, 3, 3, 3, "NewReplicaSetAvailable")),
        row("Deployment paused", Health.SUSPENDED, deployment(3, true, 2, 3, 1, 1, "DeploymentPaused")),
        row("Deployment paused past its deadline", Health.SUSPENDED,
            deployment(2, true, 2, 3, 1, 1, "ProgressDeadlineExceeded")),
        row("Deployment generation not observed", Health.PROGRESSING,
            deployment(3, false, 2, 3, 3, 3, "NewReplicaSetAvailable")),
        row("Deployment deadline exceeded", Health.DEGRADED,
            deployment(2, false, 2, 3, 3, 1, "ProgressDeadlineExceeded")),
        row("Deployment deadline condition of an older generation", Health.PROGRESSING,
            deployment(3, false, 2, 3, 3, 1, "ProgressDeadlineExceeded")),
        row("Deployment fewer updated than desired", Health.PROGRESSING,
            deployment(2, false, 2, 3, 1, 3, "ReplicaSetUpdated")),
        row("Deployment old replicas pending termination", Health.PROGRESSING,
            deployment(2, false, 2, 4, 3, 3, "ReplicaSetUpdated")),
        row("Deployment updated but not available", Health.PROGRESSING,
            deployment(2, false, 2, 3, 3, 2, "ReplicaSetUpdated")),
        row("Deployment without spec.replicas counts 1, the API server's default", Health.PROGRESSING, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop, generation: 1}
            spec: {}
            status: {observedGeneration: 1}
            """),
        row("Deployment scaled to zero", Health.HEALTHY, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop, generation: 5}
            spec: {replicas: 0}
            status: {observedGeneration: 5}
            """),

        // StatefulSet: partition, OnDelete, then revisions.
        row("StatefulSet never observed", Health.PROGRESSING, statefulSet("{type: OnDelete}", 0, 3, 3, "db-2")),
        row("StatefulSet generation not observed", Health.PROGRESSING, statefulSet("{type: OnDelete}", 1, 3, 3, "db-2")),
        row("StatefulSet fewer ready than desired", Health.PROGRESSING,
            statefulSet("{type: RollingUpdate, rollingUpdate: {partition: 0}}", 2, 2, 3, "db-2")),
        row("StatefulSet partition not yet updated", Health.PROGRESSING,
            statefulSet("{type: RollingUpdate, rollingUpdate: {partition: 2}}", 2, 3, 0, "db-1")),
        row("StatefulSet partition updated, revisions still differ", Health.HEALTHY,
            statefulSet("{type: RollingUpdate, rollingUpdate: {partition: 2}}", 2, 3, 1, "db-1")),
        row("StatefulSet partition 0 all updated, revisions still differ", Health.HEALTHY,
            statefulSet("{type: RollingUpdate, rollingUpdate: {partition: 0}}", 2, 3, 3, "db-1")),
        row("StatefulSet rollingUpdate without partition, all updated, revisions still differ", Health.HEALTHY,
            statefulSet("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}", 2, 3, 3, "db-1")),
        row("StatefulSet OnDelete ready, revisions differ", Health.HEALTHY,
            statefulSet("{type: OnDelete}", 2, 3, 0, "db-1")),
        row("StatefulSet RollingUpdate without rollingUpdate, revisions differ", Health.PROGRESSING,
            statefulSet("{type: RollingUpdate}", 2, 3, 3, "db-1")),
        row("StatefulSet RollingUpdate without rollingUpdate, revisions equal", Health.HEALTHY,
            statefulSet("{type: RollingUpdate}", 2, 3, 3, "db-2")),

        // DaemonSet.
        row("DaemonSet generation not observed", Health.PROGRESSING, DAEMON_SET.formatted("RollingUpdate", 3, 2, 2, 2)),
        row("DaemonSet OnDelete with old pods", Health.HEALTHY, DAEMON_SET.formatted("OnDelete", 4, 3, 1, 3)),
        row("DaemonSet rolling update in progress", Health.PROGRESSING, DAEMON_SET.formatted("RollingUpdate", 4, 3, 1, 3)),
        row("DaemonSet updated but not available", Health.PROGRESSING, DAEMON_SET.formatted("RollingUpdate", 4, 3, 3, 2)),
        row("DaemonSet rolled out", Health.HEALTHY, DAEMON_SET.formatted("RollingUpdate", 4, 3, 3, 3)),
        row("DaemonSet on no nodes", Health.HEALTHY, DAEMON_SET.formatted("RollingUpdate", 4, 0, 0, 0)),

        // ReplicaSet.
        row("ReplicaSet generation not observed", Health.PROGRESSING, REPLICA_SET.formatted(1, 0, "True")),
        row("ReplicaSet cannot create pods", Health.DEGRADED, REPLICA_SET.formatted(2, 0, "True")),
        row("ReplicaSet ReplicaFailure False, still short", Health.PROGRESSING, REPLICA_SET.formatted(2, 1, "False")),
        row("ReplicaSet available", Health.HEALTHY, REPLICA_SET.formatted(2, 2, "False")),

        // Pod: waiting reasons (restartPolicy Always only), then phase.
        row("Pod CrashLoopBackOff", Health.DEGRADED, pod("Always", "Running", false,
            "{waiting: {reason: CrashLoopBackOff, message: back-off 40s}}",
            "{terminated: {exitCode: 1, reason: Error}}")),
        row("Pod ImagePullBackOff while Pending", Health.DEGRADED, pod("Always", "Pending", false,
            "{waiting: {reason: ImagePullBackOff, message: Back-off pulling image}}", "{}")),
        row("Pod ErrImagePull", Health.DEGRADED, pod("Always", "Pending", false,
            "{waiting: {reason: ErrImagePull, message: not found}}", "{}")),
        row("Pod CreateContainerConfigError", Health.DEGRADED, pod("Always", "Pending", false,
            "{waiting: {reason: CreateContainerConfigError, message: secret not found}}", "{}")),
        row("Pod Never with ImagePullBackOff", Health.PROGRESSING, pod("Never", "Pending", false,
            "{waiting: {reason: ImagePullBackOff}}", "{}")),
        row("Pod OnFailure crash looping while Running", Health.PROGRESSING, pod("OnFailure", "Running", false,
            "{waiting: {reason: CrashLoopBackOff}}", "{terminated: {exitCode: 1}}")),
        row("Pod ContainerCreating", Health.PROGRESSING, pod("Always", "Pending", false,
            "{waiting: {reason: ContainerCreating}}", "{}")),
        row("Pod init container crash looping (only containerStatuses count)", Health.PROGRESSING, """
            apiVersion: v1
            kind: Pod
            metadata: {name: api-1, namespace: shop}
            spec: {restartPolicy: Always, initContainers: [{name: init, image: x}], containers: [{name: app, image: y}]}
            status:
              phase: Pending
              initContainerStatuses:
              - {name: init, ready: false, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff}}}
              containerStatuses:
              - {name: app, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
            """),
        row("Pod running and ready", Health.HEALTHY, pod("Always", "Running", true,
            "{running: {startedAt: '2026-01-01T00:00:00Z'}}", "{}")),
        row("Pod running, not ready yet", Health.PROGRESSING, pod("Always", "Running", false,
            "{running: {startedAt: '2026-01-01T00:00:00Z'}}", "{}")),
        row("Pod running, not ready, terminated before", Health.DEGRADED, pod("Always", "Running", false,
            "{running: {startedAt: '2026-01-01T00:00:00Z'}}", "{terminated: {exitCode: 137, reason: OOMKilled}}")),
        row("Pod Never running and ready", Health.PROGRESSING, pod("Never", "Running", true,
            "{running: {startedAt: '2026-01-01T00:00:00Z'}}", "{}")),
        row("Pod OnFailure succeeded", Health.HEALTHY, pod("OnFailure", "Succeeded", false,
            "{terminated: {exitCode: 0, reason: Completed}}", "{}")),
        row("Pod failed", Health.DEGRADED, pod("Never", "Failed", false,
            "{terminated: {exitCode: 2, reason: Error}}", "{}")),
        row("Pod failed in an init container", Health.DEGRADED, """
            apiVersion: v1
            kind: Pod
            metadata: {name: api-1, namespace: shop}
            spec: {restartPolicy: Never, initContainers: [{name: init, image: x}], containers: [{name: app, image: y}]}
            status:
              phase: Failed
              initContainerStatuses:
              - {name: init, ready: false, restartCount: 0, state: {terminated: {exitCode: 137, reason: OOMKilled}}}
              containerStatuses:
              - {name: app, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
            """),
        row("Pod phase Unknown", Health.UNKNOWN, pod("Always", "Unknown", false, "{}", "{}")),
        row("Pod being deleted", Health.PROGRESSING, """
            apiVersion: v1
            kind: Pod
            metadata: {name: api-1, namespace: shop, deletionTimestamp: '2026-01-01T00:00:00Z'}
            spec: {restartPolicy: Always, containers: [{name: app, image: y}]}
            status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
            """),

        // Job.
        row("Job running", Health.PROGRESSING, JOB.formatted(false, "{active: 1}")),
        row("Job with no status yet", Health.PROGRESSING, JOB.formatted(false, "{}")),
        row("Job failed", Health.DEGRADED, JOB.formatted(false,
            "{failed: 7, conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded}]}")),
        row("Job complete", Health.HEALTHY, JOB.formatted(false,
            "{succeeded: 1, conditions: [{type: Complete, status: 'True'}]}")),
        row("Job failed wins over complete", Health.DEGRADED, JOB.formatted(false,
            "{conditions: [{type: Complete, status: 'True'}, {type: Failed, status: 'True'}]}")),
        row("Job suspended", Health.SUSPENDED, JOB.formatted(true,
            "{conditions: [{type: Suspended, status: 'True', reason: JobSuspended}]}")),
        row("Job resumed and running (differs on purpose: Argo CD says Healthy)", Health.PROGRESSING,
            JOB.formatted(false, "{active: 1, conditions: [{type: Suspended, status: 'False', reason: JobResumed}]}")),
        row("Job with Complete False (as Argo CD: any Complete condition)", Health.HEALTHY,
            JOB.formatted(false, "{active: 1, conditions: [{type: Complete, status: 'False'}]}")),

        // CronJob: the cases every version of Argo CD's CronJob check agrees on (ours otherwise).
        row("CronJob never scheduled", Health.HEALTHY, CRON_JOB.formatted("{}")),
        row("CronJob last run succeeded", Health.HEALTHY, CRON_JOB.formatted(
            "{lastScheduleTime: '2026-01-01T02:00:00Z', lastSuccessfulTime: '2026-01-01T02:00:40Z'}")),
        row("CronJob last run failed", Health.DEGRADED, CRON_JOB.formatted(
            "{lastScheduleTime: '2026-01-01T02:00:00Z', lastSuccessfulTime: '2026-01-01T01:00:40Z'}")),

        // PersistentVolumeClaim.
        row("PVC bound", Health.HEALTHY, PVC.formatted("Bound")),
        row("PVC pending", Health.PROGRESSING, PVC.formatted("Pending")),
        row("PVC lost", Health.DEGRADED, PVC.formatted("Lost")),
        row("PVC unexpected phase", Health.UNKNOWN, PVC.formatted("Resizing")),
        row("PVC without a phase yet (differs on purpose: Argo CD says Unknown)", Health.PROGRESSING, """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: shop}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            """),

        // Service and Ingress.
        row("Service ClusterIP", Health.HEALTHY, SERVICE.formatted("ClusterIP", "{}")),
        row("Service NodePort", Health.HEALTHY, SERVICE.formatted("NodePort", "{}")),
        row("Service ExternalName", Health.HEALTHY, SERVICE.formatted("ExternalName", "{}")),
        row("Service LoadBalancer without address", Health.PROGRESSING, SERVICE.formatted("LoadBalancer", "{}")),
        row("Service LoadBalancer with empty ingress list", Health.PROGRESSING,
            SERVICE.formatted("LoadBalancer", "{ingress: []}")),
        row("Service LoadBalancer with address", Health.HEALTHY,
            SERVICE.formatted("LoadBalancer", "{ingress: [{ip: 203.0.113.7}]}")),
        row("Ingress with hostname", Health.HEALTHY,
            INGRESS.formatted("networking.k8s.io/v1", "{ingress: [{hostname: lb.example.com}]}")),
        row("Ingress without address", Health.PROGRESSING, INGRESS.formatted("networking.k8s.io/v1", "{}")),
        row("Ingress extensions/v1beta1 with address", Health.HEALTHY,
            INGRESS.formatted("extensions/v1beta1", "{ingress: [{ip: 203.0.113.7}]}")),

        // HorizontalPodAutoscaler: the first degraded or healthy condition decides.
        row("HPA v2 able to scale", Health.HEALTHY, HPA_V2.formatted("v2",
            "[{type: AbleToScale, status: 'True', reason: ReadyForNewScale}]")),
        row("HPA v2 FailedGetScale", Health.DEGRADED, HPA_V2.formatted("v2",
            "[{type: AbleToScale, status: 'False', reason: FailedGetScale}]")),
        row("HPA v2 FailedUpdateScale", Health.DEGRADED, HPA_V2.formatted("v2",
            "[{type: AbleToScale, status: 'False', reason: FailedUpdateScale}]")),
        row("HPA v2 FailedGetResourceMetric first", Health.DEGRADED, HPA_V2.formatted("v2",
            "[{type: ScalingActive, status: 'False', reason: FailedGetResourceMetric},"
                + " {type: AbleToScale, status: 'True', reason: SucceededGetScale}]")),
        row("HPA v2 InvalidSelector", Health.DEGRADED, HPA_V2.formatted("v2",
            "[{type: ScalingActive, status: 'False', reason: InvalidSelector}]")),
        row("HPA v2 limited", Health.HEALTHY, HPA_V2.formatted("v2",
            "[{type: ScalingLimited, status: 'True', reason: TooManyReplicas}]")),
        row("HPA v2 only ScalingActive", Health.PROGRESSING, HPA_V2.formatted("v2",
            "[{type: ScalingActive, status: 'True', reason: ValidMetricFound}]")),
        row("HPA v2 without conditions", Health.PROGRESSING, HPA_V2.formatted("v2", "[]")),
        row("HPA v2beta2 able to scale", Health.HEALTHY, HPA_V2.formatted("v2beta2",
            "[{type: AbleToScale, status: 'True', reason: ReadyForNewScale}]")),
        row("HPA v1 annotation able to scale", Health.HEALTHY,
            HPA_V1.formatted("[{\"type\":\"AbleToScale\",\"status\":\"True\",\"reason\":\"SucceededRescale\"}]")),
        row("HPA v1 annotation FailedGetScale", Health.DEGRADED,
            HPA_V1.formatted("[{\"type\":\"AbleToScale\",\"status\":\"False\",\"reason\":\"FailedGetScale\"}]")),
        row("HPA v1 annotation empty list", Health.PROGRESSING, HPA_V1.formatted("[]")),
        row("HPA v1 without annotation", Health.PROGRESSING, """
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata: {name: api, namespace: shop}
            spec: {minReplicas: 1, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}}
            """),
        row("HPA v1 annotation not JSON", Health.UNKNOWN, HPA_V1.formatted("[{")),
        row("HPA v1 annotation a JSON object, not a list", Health.UNKNOWN,
            HPA_V1.formatted("{\"type\":\"AbleToScale\",\"status\":\"True\"}")),

        // APIService.
        row("APIService available", Health.HEALTHY, API_SERVICE.formatted("v1",
            "[{type: Available, status: 'True', reason: Passed}]")),
        row("APIService not available", Health.PROGRESSING, API_SERVICE.formatted("v1",
            "[{type: Available, status: 'False', reason: MissingEndpoints}]")),
        row("APIService without conditions", Health.PROGRESSING, API_SERVICE.formatted("v1", "[]")),
        row("APIService v1beta1 available", Health.HEALTHY, API_SERVICE.formatted("v1beta1",
            "[{type: Available, status: 'True', reason: Passed}]")),

        // CustomResourceDefinition.
        row("CRD without conditions", Health.PROGRESSING, CRD.formatted("[]")),
        row("CRD established", Health.HEALTHY, CRD.formatted(
            "[{type: NamesAccepted, status: 'True', reason: NoConflicts}, "
                + "{type: Established, status: 'True', reason: InitialNamesAccepted}]")),
        row("CRD names not accepted", Health.DEGRADED, CRD.formatted(
            "[{type: NamesAccepted, status: 'False', reason: ListKindConflict},"
                + " {type: Established, status: 'False', reason: NotAccepted}]")),
        row("CRD names accepted, Established False", Health.DEGRADED, CRD.formatted(
            "[{type: NamesAccepted, status: 'True', reason: NoConflicts},"
                + " {type: Established, status: 'False', reason: InitialNamesAccepted}]")),
        row("CRD names accepted, no Established condition", Health.DEGRADED, CRD.formatted(
            "[{type: NamesAccepted, status: 'True', reason: NoConflicts}]")),
        row("CRD still installing", Health.PROGRESSING, CRD.formatted(
            "[{type: NamesAccepted, status: 'True', reason: NoConflicts},"
                + " {type: Established, status: 'False', reason: Installing}]")),
        row("CRD with a non-structural schema", Health.DEGRADED, CRD.formatted(
            "[{type: Established, status: 'True'}, {type: NonStructuralSchema, status: 'True', reason: Violations}]")),
        row("CRD terminating", Health.PROGRESSING, CRD.formatted(
            "[{type: Established, status: 'True'}, {type: Terminating, status: 'True', reason: InstanceDeletionInProgress}]")),

        // Argo Workflow: a built-in check in gitops-engine, by phase only.
        row("Workflow without status", Health.PROGRESSING, WORKFLOW.formatted("{}")),
        row("Workflow pending", Health.PROGRESSING, WORKFLOW.formatted("{phase: Pending}")),
        row("Workflow running", Health.PROGRESSING, WORKFLOW.formatted("{phase: Running, message: step 2 of 3}")),
        row("Workflow succeeded", Health.HEALTHY, WORKFLOW.formatted("{phase: Succeeded}")),
        row("Workflow failed", Health.DEGRADED, WORKFLOW.formatted("{phase: Failed, message: child failed}")),
        row("Workflow error", Health.DEGRADED, WORKFLOW.formatted("{phase: Error, message: invalid spec}")),
        row("Workflow unexpected phase", Health.UNKNOWN, WORKFLOW.formatted("{phase: Paused}")));
  }
}
