package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verdict and message of every built-in assessor against Argo CD's, one row per upstream case.
 * Objects are the upstream fixtures cut down to the fields a check reads (named in each row's
 * source); expected statuses and messages are upstream's: from Argo CD's
 * {@code resource_customizations/<group>/<kind>/health_test.yaml} where it has one, otherwise
 * from gitops-engine {@code pkg/health/health_test.go} and the {@code health_<kind>.go} check it
 * runs (for rows marked "code:", the object is ours, the expected result what that code returns).
 * Our message is Argo CD's after the object's name, or the name alone where Argo CD has none.
 * Rows that expect our documented deviation say "ours".
 */
class ArgoCdHealthMessageParityTest {
  private static final HealthAssessors HEALTH = HealthAssessors.defaults();

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesArgoCd(String source, Health health, String argoMessage, String yaml) {
    Resource live = Resource.fromYaml(yaml);
    HealthStatus expected = new HealthStatus(health, argoMessage.isEmpty() ? live.toString() : live + ": " + argoMessage);
    assertThat(HEALTH.assess(live)).as(source).isEqualTo(expected);
  }

  private static Arguments row(String source, Health health, String argoMessage, String yaml) {
    return Arguments.of(source, health, argoMessage, yaml);
  }

  private static String deployment(String spec, String status) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: guestbook-ui, namespace: default, generation: 4}
        spec: %s
        status: %s
        """.formatted(spec, status);
  }

  private static String statefulSet(String spec, String status) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: redis-master, namespace: default, generation: 1}
        spec: %s
        status: %s
        """.formatted(spec, status);
  }

  private static String daemonSet(String spec, String status) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: fluentd-elasticsearch, namespace: kube-system, generation: 4}
        spec: %s
        status: %s
        """.formatted(spec, status);
  }

  private static String replicaSet(String status) {
    return """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: guestbook-ui-75dd4d49d5, namespace: default, generation: 2}
        spec: {replicas: 2}
        status: %s
        """.formatted(status);
  }

  private static String pod(String restartPolicy, String status) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: my-pod, namespace: argocd}
        spec: {restartPolicy: %s, containers: [{name: main, image: busybox}]}
        status: %s
        """.formatted(restartPolicy, status);
  }

  private static String job(String status) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: succeed, namespace: default}
        status: %s
        """.formatted(status);
  }

  private static String hpa(String apiVersion, String annotations, String status) {
    return """
        apiVersion: %s
        kind: HorizontalPodAutoscaler
        metadata: {name: sample, namespace: default, annotations: %s}
        status: %s
        """.formatted(apiVersion, annotations, status);
  }

  private static String crd(String status) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: crontabs.stable.example.com}
        status: %s
        """.formatted(status);
  }

  private static String workflow(String status) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: sample, namespace: argo}
        spec: {entrypoint: sampleEntryPoint, extraneousKey: we are agnostic to extraneous keys}
        status: %s
        """.formatted(status);
  }

  private static final String CRASH_LOOP_WAITING = "{message: 'Back-off 40s restarting failed container=main"
      + " pod=my-pod_argocd(63674389-f613-11e8-a057-fe5f49266390)', reason: CrashLoopBackOff}";

  static Stream<Arguments> cases() {
    return Stream.of(
        // --- Deployment: resource_customizations/apps/Deployment/health_test.yaml (fixtures from
        // gitops-engine pkg/health/testdata and pkg/utils/kube/testdata/nginx.yaml)
        row("nginx.yaml", Health.HEALTHY, "", deployment("{replicas: 1}",
            "{observedGeneration: 4, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1,"
                + " conditions: [{type: Progressing, status: 'True', reason: NewReplicaSetAvailable}]}")),
        row("deployment-progressing.yaml", Health.PROGRESSING,
            "Waiting for rollout to finish: 1 old replicas are pending termination...", deployment("{replicas: 1}",
                "{observedGeneration: 4, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1,"
                    + " conditions: [{type: Progressing, status: 'True', reason: ReplicaSetUpdated}]}")),
        row("deployment-suspended.yaml", Health.SUSPENDED, "Deployment is paused", deployment("{replicas: 1, paused: true}",
            "{observedGeneration: 4, replicas: 2, updatedReplicas: 1, availableReplicas: 1}")),
        row("deployment-degraded.yaml", Health.DEGRADED, "Deployment \"guestbook-ui\" exceeded its progress deadline",
            deployment("{replicas: 1}", "{observedGeneration: 4, replicas: 2, updatedReplicas: 1, availableReplicas: 1,"
                + " conditions: [{type: Available, status: 'True', reason: MinimumReplicasAvailable},"
                + " {type: Progressing, status: 'False', reason: ProgressDeadlineExceeded,"
                + " message: 'ReplicaSet \"guestbook-ui-75dd4d49d5\" has timed out progressing.'}]}")),
        row("code: health_deployment.go, generation not observed (a past deadline does not count yet)",
            Health.PROGRESSING, "Waiting for rollout to finish: observed deployment generation less than desired generation",
            deployment("{replicas: 1}", "{observedGeneration: 3, replicas: 1, updatedReplicas: 1, availableReplicas: 1,"
                + " conditions: [{type: Progressing, status: 'False', reason: ProgressDeadlineExceeded}]}")),
        row("code: health_deployment.go, paused wins over a generation lag", Health.SUSPENDED, "Deployment is paused",
            deployment("{replicas: 3, paused: true}", "{observedGeneration: 1}")),
        row("code: health_deployment.go, new replicas not all updated", Health.PROGRESSING,
            "Waiting for rollout to finish: 1 out of 3 new replicas have been updated...",
            deployment("{replicas: 3}", "{observedGeneration: 4, replicas: 3, updatedReplicas: 1, availableReplicas: 3}")),
        row("code: health_deployment.go, updated but not available", Health.PROGRESSING,
            "Waiting for rollout to finish: 2 of 3 updated replicas are available...",
            deployment("{replicas: 3}", "{observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 2}")),

        // --- StatefulSet: resource_customizations/apps/StatefulSet/health_test.yaml
        row("statefulset.yaml", Health.HEALTHY, "statefulset has 1 ready pods", statefulSet(
            "{replicas: 1, updateStrategy: {type: OnDelete}}", "{observedGeneration: 1, replicas: 1, readyReplicas: 1,"
                + " currentReplicas: 1, currentRevision: redis-master-7b8f75b98, updateRevision: redis-master-7b8f75b98}")),
        row("statefulset-ondelete.yaml (OnDelete with revisions apart)", Health.HEALTHY, "statefulset has 1 ready pods",
            statefulSet("{replicas: 1, updateStrategy: {type: OnDelete}}", "{observedGeneration: 1, readyReplicas: 1,"
                + " currentRevision: redis-master-1, updateRevision: redis-master-2}")),
        row("code: health_statefulset.go, observedGeneration 0", Health.PROGRESSING,
            "Waiting for statefulset spec update to be observed...", statefulSet("{replicas: 1}", "{readyReplicas: 1}")),
        row("code: health_statefulset.go, not ready", Health.PROGRESSING, "Waiting for 2 pods to be ready...",
            statefulSet("{replicas: 3}", "{observedGeneration: 1, readyReplicas: 1}")),
        row("code: health_statefulset.go, partitioned rollout waiting", Health.PROGRESSING,
            "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...",
            statefulSet("{replicas: 3, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}",
                "{observedGeneration: 1, readyReplicas: 3, updatedReplicas: 0, currentRevision: r1, updateRevision: r2}")),
        row("code: health_statefulset.go, partitioned rollout done, revisions apart", Health.HEALTHY,
            "partitioned roll out complete: 1 new pods have been updated...",
            statefulSet("{replicas: 3, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}",
                "{observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1, currentRevision: r1, updateRevision: r2}")),
        row("code: health_statefulset.go, rolling update in progress", Health.PROGRESSING,
            "waiting for statefulset rolling update to complete 1 pods at revision r2...",
            statefulSet("{replicas: 3, updateStrategy: {type: RollingUpdate}}",
                "{observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1, currentRevision: r1, updateRevision: r2}")),
        row("code: health_statefulset.go, rolling update complete", Health.HEALTHY,
            "statefulset rolling update complete 3 pods at revision r2...",
            statefulSet("{replicas: 3, updateStrategy: {type: RollingUpdate}}", "{observedGeneration: 1, readyReplicas: 3,"
                + " updatedReplicas: 3, currentReplicas: 3, currentRevision: r2, updateRevision: r2}")),

        // --- DaemonSet: gitops-engine pkg/health/testdata/daemonset-ondelete.yaml (TestDaemonSetOnDeleteHealth)
        row("daemonset-ondelete.yaml", Health.HEALTHY, "daemon set 0 out of 1 new pods have been updated", daemonSet(
            "{updateStrategy: {type: OnDelete}}", "{observedGeneration: 4, currentNumberScheduled: 1,"
                + " desiredNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1}")),
        row("code: health_daemonset.go, generation not observed", Health.PROGRESSING,
            "Waiting for rollout to finish: observed daemon set generation less than desired generation",
            daemonSet("{updateStrategy: {type: OnDelete}}", "{observedGeneration: 3}")),
        row("code: health_daemonset.go, pods not updated", Health.PROGRESSING,
            "Waiting for daemon set \"fluentd-elasticsearch\" rollout to finish: 1 out of 3 new pods have been updated...",
            daemonSet("{updateStrategy: {type: RollingUpdate}}",
                "{observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3}")),
        row("code: health_daemonset.go, pods not available", Health.PROGRESSING,
            "Waiting for daemon set \"fluentd-elasticsearch\" rollout to finish: 2 of 3 updated pods are available...",
            daemonSet("{updateStrategy: {type: RollingUpdate}}",
                "{observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2}")),
        row("code: health_daemonset.go, numberMisscheduled does not count", Health.HEALTHY, "",
            daemonSet("{updateStrategy: {type: RollingUpdate}}", "{observedGeneration: 4, desiredNumberScheduled: 3,"
                + " updatedNumberScheduled: 3, numberAvailable: 3, numberMisscheduled: 2}")),

        // --- ReplicaSet: gitops-engine pkg/health/health_replicaset.go (no upstream fixture)
        row("code: health_replicaset.go, generation not observed", Health.PROGRESSING,
            "Waiting for rollout to finish: observed replica set generation less than desired generation",
            replicaSet("{observedGeneration: 1, availableReplicas: 2}")),
        row("code: health_replicaset.go, ReplicaFailure", Health.DEGRADED, "pods \"x\" is forbidden: exceeded quota",
            replicaSet("{observedGeneration: 2, availableReplicas: 0, conditions: [{type: ReplicaFailure,"
                + " status: 'True', reason: FailedCreate, message: 'pods \"x\" is forbidden: exceeded quota'}]}")),
        row("code: health_replicaset.go, not available", Health.PROGRESSING,
            "Waiting for rollout to finish: 1 out of 2 new replicas are available...",
            replicaSet("{observedGeneration: 2, availableReplicas: 1}")),
        row("code: health_replicaset.go, available", Health.HEALTHY, "", replicaSet("{observedGeneration: 2, availableReplicas: 2}")),

        // --- Pod: resource_customizations/Pod/health_test.yaml
        row("pod-pending.yaml", Health.PROGRESSING, "", pod("Always", "{phase: Pending, containerStatuses: [{name: main,"
            + " ready: false, state: {waiting: {reason: PodInitializing}}}]}")),
        row("pod-running-not-ready.yaml", Health.PROGRESSING, "", pod("Always", "{phase: Running, conditions: [{type: Ready,"
            + " status: 'False', reason: ContainersNotReady}], containerStatuses: [{name: main, ready: false,"
            + " lastState: {}, state: {running: {}}}]}")),
        row("pod-crashloop.yaml", Health.DEGRADED,
            "Back-off 40s restarting failed container=main pod=my-pod_argocd(63674389-f613-11e8-a057-fe5f49266390)",
            pod("Always", "{phase: Running, conditions: [{type: Ready, status: 'False'}], containerStatuses: [{name: main,"
                + " lastState: {terminated: {exitCode: 1, reason: Error}}, state: {waiting: " + CRASH_LOOP_WAITING + "}}]}")),
        row("pod-imagepullbackoff.yaml", Health.DEGRADED, "Back-off pulling image \"gcr.io/heptio-images/ks-guestbook-demo:0.3\"",
            pod("Always", "{phase: Pending, containerStatuses: [{name: errimagepullbackoff, state: {waiting: {reason:"
                + " ImagePullBackOff, message: 'Back-off pulling image \"gcr.io/heptio-images/ks-guestbook-demo:0.3\"'}}}]}")),
        row("pod-error.yaml", Health.DEGRADED, "", pod("Always", "{phase: Running, conditions: [{type: Ready, status: 'False'}],"
            + " containerStatuses: [{name: main, lastState: {terminated: {exitCode: 1, reason: Error}},"
            + " state: {terminated: {exitCode: 1, reason: Error}}}]}")),
        row("pod-running-restart-always.yaml", Health.HEALTHY, "", pod("Always", "{phase: Running, conditions: [{type: Ready,"
            + " status: 'True'}], containerStatuses: [{name: main, ready: true, state: {running: {}}}]}")),
        row("pod-running-restart-never.yaml", Health.PROGRESSING, "", pod("Never", "{phase: Running, conditions: [{type: Ready,"
            + " status: 'True'}], containerStatuses: [{name: main, ready: true, state: {running: {}}}]}")),
        row("pod-running-restart-onfailure.yaml", Health.PROGRESSING, "", pod("OnFailure", "{phase: Running, containerStatuses:"
            + " [{name: main, lastState: {terminated: {exitCode: 1, reason: Error}}, state: {waiting: {reason: CrashLoopBackOff,"
            + " message: 'Back-off 1m20s restarting failed container=main'}}}]}")),
        row("pod-failed.yaml", Health.DEGRADED, "container \"main\" failed with exit code 1", pod("Never", "{phase: Failed,"
            + " containerStatuses: [{name: main, state: {terminated: {exitCode: 1, reason: Error}}}]}")),
        row("pod-succeeded.yaml", Health.HEALTHY, "", pod("Never", "{phase: Succeeded, containerStatuses: [{name: main,"
            + " state: {terminated: {exitCode: 0, reason: Completed}}}]}")),
        row("pod-deletion.yaml (gitops-engine health.go / health_test.go TestPendingDeletionHealth)", Health.PROGRESSING,
            "Pending deletion", """
            apiVersion: v1
            kind: Pod
            metadata: {name: image-pull-backoff, namespace: argocd, deletionTimestamp: '2018-12-03T10:16:04Z'}
            spec: {restartPolicy: Always}
            status: {phase: Pending, containerStatuses: [{name: main, state: {waiting: {reason: ImagePullBackOff}}}]}
            """),
        row("code: health_pod.go, two failing containers", Health.DEGRADED, "Back-off pulling image \"a\", ",
            pod("Always", "{phase: Pending, containerStatuses: [{name: a, state: {waiting: {reason: ImagePullBackOff,"
                + " message: 'Back-off pulling image \"a\"'}}}, {name: b, state: {waiting: {reason: ErrImagePull}}}]}")),
        row("code: health_pod.go, CreateContainerConfigError", Health.DEGRADED, "secret \"db\" not found",
            pod("Always", "{phase: Pending, containerStatuses: [{name: main, state: {waiting: {reason:"
                + " CreateContainerConfigError, message: 'secret \"db\" not found'}}}]}")),
        row("code: health_pod.go, crash-looping init container: only app containers are read", Health.PROGRESSING,
            "", pod("Always", "{phase: Pending, initContainerStatuses: [{name: init, state: {waiting: {reason:"
                + " CrashLoopBackOff, message: back-off}}}], containerStatuses: [{name: main, state: {waiting:"
                + " {reason: PodInitializing}}}]}")),
        row("code: health_pod.go, Failed: the init container's message", Health.DEGRADED, "migration failed",
            pod("Never", "{phase: Failed, initContainerStatuses: [{name: init, state: {terminated: {exitCode: 2,"
                + " message: migration failed}}}], containerStatuses: [{name: main, state: {terminated: {exitCode: 1}}}]}")),
        row("code: health_pod.go, Failed: OOMKilled", Health.DEGRADED, "OOMKilled",
            pod("Never", "{phase: Failed, containerStatuses: [{name: main, state: {terminated: {exitCode: 137,"
                + " reason: OOMKilled}}}]}")),
        row("code: health_pod.go, Failed: the pod's message first", Health.DEGRADED,
            "Pod was active on the node longer than the specified deadline", pod("Never", "{phase: Failed, reason:"
                + " DeadlineExceeded, message: Pod was active on the node longer than the specified deadline}")),
        row("code: health_pod.go, Failed with nothing to say", Health.DEGRADED, "", pod("Never", "{phase: Failed}")),
        row("code: health_pod.go, Pending: the pod's message", Health.PROGRESSING, "0/3 nodes are available",
            pod("Always", "{phase: Pending, message: 0/3 nodes are available}")),
        row("code: health_pod.go, Running with a restart policy Kubernetes does not have", Health.UNKNOWN, "",
            pod("Sometimes", "{phase: Running}")),
        row("code: health_pod.go, unknown phase", Health.UNKNOWN, "node lost", pod("Always", "{phase: Unknown,"
            + " message: node lost}")),

        // --- Job: resource_customizations/batch/Job/health_test.yaml
        row("job-running.yaml", Health.PROGRESSING, "", job("{active: 1}")),
        row("job-failed.yaml", Health.DEGRADED, "Job has reached the specified backoff limit", job("{failed: 1, conditions:"
            + " [{type: Failed, status: 'True', reason: BackoffLimitExceeded, message: Job has reached the specified"
            + " backoff limit}]}")),
        row("job-succeeded.yaml", Health.HEALTHY, "", job("{succeeded: 1, conditions: [{type: Complete, status: 'True'}]}")),
        row("job-suspended.yaml", Health.SUSPENDED, "", job("{conditions: [{type: Suspended, status: 'True',"
            + " reason: JobSuspended, message: Job suspended}]}")),
        row("code: health_job.go, Failed after a Suspended", Health.DEGRADED, "deadline",
            job("{conditions: [{type: Suspended, status: 'True', message: Job suspended}, {type: Failed,"
                + " status: 'True', reason: DeadlineExceeded, message: deadline}]}")),
        row("code: health_job.go, resumed and complete", Health.HEALTHY, "done",
            job("{conditions: [{type: Suspended, status: 'False', message: Job resumed}, {type: Complete,"
                + " status: 'True', message: done}]}")),
        row("ours: resumed Job still running (Argo CD: Healthy)", Health.PROGRESSING, "Job resumed",
            job("{active: 1, conditions: [{type: Suspended, status: 'False', reason: JobResumed, message: Job resumed}]}")),

        // --- PersistentVolumeClaim: gitops-engine TestPVCHealth and health_pvc.go
        row("pvc-bound.yaml", Health.HEALTHY, "", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: testpvc, namespace: argocd}
            spec: {volumeName: pvc-0cedda2c-aa4d-11e8-a271-025000000001}
            status: {phase: Bound}
            """),
        row("pvc-pending.yaml", Health.PROGRESSING, "", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: testpvc-2, namespace: argocd}
            status: {phase: Pending}
            """),
        row("code: health_pvc.go, Lost", Health.DEGRADED, "", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: shop}
            status: {phase: Lost}
            """),

        // --- Service and Ingress: gitops-engine TestServiceHealth, TestIngressHealth
        row("svc-clusterip.yaml", Health.HEALTHY, "", service("ClusterIP", "{loadBalancer: {}}")),
        row("svc-loadbalancer.yaml", Health.HEALTHY, "", service("LoadBalancer",
            "{loadBalancer: {ingress: [{hostname: abc123.us-west-2.elb.amazonaws.com}]}}")),
        row("svc-loadbalancer-unassigned.yaml", Health.PROGRESSING, "", service("LoadBalancer", "{loadBalancer: {}}")),
        row("svc-loadbalancer-nonemptylist.yaml", Health.HEALTHY, "", service("LoadBalancer", "{loadBalancer: {ingress: [{}]}}")),
        row("code: health_service.go, LoadBalancer without status", Health.PROGRESSING, "", """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {type: LoadBalancer}
            """),
        row("ingress.yaml", Health.HEALTHY, "", ingress("{loadBalancer: {ingress: [{ip: 1.2.3.4}]}}")),
        row("ingress-unassigned.yaml", Health.PROGRESSING, "", ingress("{loadBalancer: {}}")),
        row("ingress-nonemptylist.yaml", Health.HEALTHY, "", ingress("{loadBalancer: {ingress: [{}]}}")),
        row("code: health_ingress.go, no status at all", Health.PROGRESSING, "", ingress("null")),

        // --- HorizontalPodAutoscaler: gitops-engine TestHPA and health_hpa.go
        row("hpa-v2-healthy.yaml", Health.HEALTHY, "recommended size matches current size", hpa("autoscaling/v2", "{}",
            "{conditions: [{type: AbleToScale, status: 'True', reason: ReadyForNewScale, message: recommended size matches"
                + " current size}, {type: ScalingLimited, status: 'False', reason: DesiredWithinRange}]}")),
        row("hpa-v2-degraded.yaml", Health.DEGRADED, "the HPA controller was unable to get the target's current scale:"
            + " deployments/scale.apps \"sandbox-test-app-8\" not found", hpa("autoscaling/v2", "{}", "{conditions: [{type:"
            + " AbleToScale, status: 'False', reason: FailedGetScale, message: 'the HPA controller was unable to get the"
            + " target''s current scale: deployments/scale.apps \"sandbox-test-app-8\" not found'}, {type: ScalingActive,"
            + " status: 'True', reason: ValidMetricFound}]}")),
        row("hpa-v2-progressing.yaml", Health.PROGRESSING, "Waiting to Autoscale", hpa("autoscaling/v2", "{}",
            "{conditions: [{type: ScalingActive, status: 'True', reason: ValidMetricFound}, {type: ScalingLimited,"
                + " status: 'False', reason: DesiredWithinRange}]}")),
        row("hpa-v2beta1-healthy-disabled.yaml", Health.HEALTHY, "the HPA controller was able to get the target's current"
            + " scale", hpa("autoscaling/v2beta1", "{}", "{conditions: [{type: AbleToScale, status: 'True', reason:"
            + " SucceededGetScale, message: 'the HPA controller was able to get the target''s current scale'}, {type:"
            + " ScalingActive, status: 'False', reason: ScalingDisabled}]}")),
        row("hpa-v1-degraded.yaml", Health.DEGRADED, "the HPA controller was unable to get the target's current scale",
            hpa("autoscaling/v1", "{autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\",\"status\":"
                + "\"True\",\"reason\":\"FailedGetScale\",\"message\":\"the HPA controller was unable to get the target''s"
                + " current scale\"}]'}", "{currentReplicas: 1}")),
        row("hpa-v1-healthy.yaml", Health.HEALTHY, "the HPA controller was able to update the target scale to 1",
            hpa("autoscaling/v1", "{autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\",\"status\":"
                + "\"True\",\"reason\":\"SucceededRescale\",\"message\":\"the HPA controller was able to update the target"
                + " scale to 1\"},{\"type\":\"ScalingActive\",\"status\":\"False\",\"reason\":\"FailedGetResourceMetric\","
                + "\"message\":\"no metrics\"}]'}", "{currentReplicas: 1}")),
        row("hpa-v1-healthy-toofew.yaml (ScalingLimited True)", Health.HEALTHY,
            "the desired replica count is less than the minimum replica count", hpa("autoscaling/v1",
                "{autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"ScalingLimited\",\"status\":\"True\","
                    + "\"reason\":\"TooFewReplicas\",\"message\":\"the desired replica count is less than the minimum"
                    + " replica count\"}]'}", "{currentReplicas: 2}")),
        row("hpa-v1-progressing.yaml", Health.PROGRESSING, "Waiting to Autoscale", hpa("autoscaling/v1",
            "{autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\",\"status\":\"False\",\"reason\":"
                + "\"SucceededGetScale\",\"message\":\"the HPA controller was not able to get the target''s current"
                + " scale\"}]'}", "{currentReplicas: 1}")),
        row("hpa-v1-progressing-with-no-annotations.yaml", Health.PROGRESSING, "Waiting to Autoscale",
            hpa("autoscaling/v1", "{}", "{currentReplicas: 1}")),
        row("code: health_hpa.go, v1 conditions annotation empty", Health.PROGRESSING, "Waiting to Autoscale",
            hpa("autoscaling/v1", "{autoscaling.alpha.kubernetes.io/conditions: '[]'}", "{currentReplicas: 1}")),

        // --- APIService: gitops-engine TestAPIService and health_apiservice.go
        row("apiservice-v1-true.yaml", Health.HEALTHY, "Passed: all checks passed", apiService("v1",
            "[{type: Available, status: 'True', reason: Passed, message: all checks passed}]")),
        row("apiservice-v1-false.yaml", Health.PROGRESSING, "MissingEndpoints: endpoints for service/cert-manager-webhook"
            + " in \"external-dns\" have no addresses", apiService("v1", "[{type: Available, status: 'False', reason:"
            + " MissingEndpoints, message: 'endpoints for service/cert-manager-webhook in \"external-dns\" have no"
            + " addresses'}]")),
        row("apiservice-v1beta1-true.yaml", Health.HEALTHY, "Passed: all checks passed", apiService("v1beta1",
            "[{type: Available, status: 'True', reason: Passed, message: all checks passed}]")),
        row("code: health_apiservice.go, no condition", Health.PROGRESSING, "Waiting to be processed", apiService("v1", "[]")),

        // --- CustomResourceDefinition: resource_customizations/apiextensions.k8s.io/CustomResourceDefinition/health_test.yaml
        row("crd-v1-healthy.yaml", Health.HEALTHY, "CRD is healthy", crd("{conditions: [{type: NamesAccepted, status:"
            + " 'True', reason: NoConflicts}, {type: Established, status: 'True', reason: InitialNamesAccepted}]}")),
        row("crd-v1-names-not-accepted-degraded.yaml", Health.DEGRADED,
            "CRD names have not been accepted: the initial names have not been accepted", crd("{conditions: [{type:"
                + " NamesAccepted, status: 'False', reason: MultipleNamesNotAllowed, message: the initial names have not"
                + " been accepted}, {type: Established, status: 'False'}]}")),
        row("crd-v1-non-structual-degraded.yaml", Health.DEGRADED,
            "Schema violations found: spec.preserveUnknownFields: Invalid value: true: must be false", crd("{conditions:"
                + " [{type: Established, status: 'True'}, {type: NonStructuralSchema, status: 'True', reason: Violations,"
                + " message: 'spec.preserveUnknownFields: Invalid value: true: must be false'}]}")),
        row("crd-v1-not-established-degraded.yaml", Health.DEGRADED, "CRD is not established", crd("{conditions: [{type:"
            + " NamesAccepted, status: 'True'}, {type: Established, status: 'False', reason: NotAccepted,"
            + " message: not all names are accepted}]}")),
        row("crd-v1-terminating-condition-progressing.yaml", Health.PROGRESSING, "CRD is terminating: user has deleted the CRD",
            crd("{conditions: [{type: Established, status: 'True'}, {type: Terminating, status: 'True', reason:"
                + " InstanceDeletionInProgress, message: user has deleted the CRD}]}")),
        row("crd-v1-no-conditions-progressing.yaml", Health.PROGRESSING, "Status conditions not found", crd("{}")),
        row("crd-v1-installing-progressing.yaml", Health.PROGRESSING, "CRD is being installed", crd("{conditions:"
            + " [{type: NamesAccepted, status: 'True', reason: NoConflicts, message: no conflicts found}, {type:"
            + " Established, status: 'False', reason: Installing, message: the initial names have not been accepted}]}")),
        row("code: health.lua, the first deciding condition wins: a non-structural schema before Established",
            Health.DEGRADED, "Schema violations found: bad", crd("{conditions: [{type: NonStructuralSchema,"
                + " status: 'True', message: bad}, {type: Established, status: 'False', reason: Installing}]}")),

        // --- Argo Workflow: gitops-engine health_test.go TestGetArgoWorkflowHealth
        row("TestGetArgoWorkflowHealth running", Health.PROGRESSING, "This node is running",
            workflow("{phase: Running, message: This node is running}")),
        row("TestGetArgoWorkflowHealth succeeded", Health.HEALTHY, "This node is has succeeded",
            workflow("{phase: Succeeded, message: This node is has succeeded}")),
        row("TestGetArgoWorkflowHealth no status", Health.PROGRESSING, "", workflow("null")),
        row("code: health_argo.go, Error", Health.DEGRADED, "pod deleted", workflow("{phase: Error, message: pod deleted}")));
  }

  private static String service(String type, String status) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: argocd-server, namespace: argocd}
        spec: {type: %s}
        status: %s
        """.formatted(type, status);
  }

  private static String ingress(String status) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: argocd-server-ingress, namespace: argocd, generation: 9}
        status: %s
        """.formatted(status);
  }

  private static String apiService(String version, String conditions) {
    return """
        apiVersion: apiregistration.k8s.io/%s
        kind: APIService
        metadata: {name: v1beta1.admission.cert-manager.io}
        status: {conditions: %s}
        """.formatted(version, conditions);
  }
}
