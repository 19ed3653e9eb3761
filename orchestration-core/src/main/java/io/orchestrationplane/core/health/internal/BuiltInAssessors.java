package io.orchestrationplane.core.health.internal;

import io.orchestrationplane.core.health.HealthAssessor;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.List;

/** The assessors every registry starts with, one per built-in group/kind. */
public final class BuiltInAssessors {
  private BuiltInAssessors() {}

  public static List<HealthAssessor> all() {
    return List.of(
        HealthAssessor.of(new GroupKind("apps", "Deployment"), WorkloadAssessors::deployment),
        HealthAssessor.of(new GroupKind("apps", "StatefulSet"), WorkloadAssessors::statefulSet),
        HealthAssessor.of(new GroupKind("apps", "DaemonSet"), WorkloadAssessors::daemonSet),
        HealthAssessor.of(new GroupKind("apps", "ReplicaSet"), WorkloadAssessors::replicaSet),
        HealthAssessor.of(new GroupKind("", "Pod"), PodAssessor::assess),
        HealthAssessor.of(new GroupKind("batch", "Job"), BatchAssessors::job),
        HealthAssessor.of(new GroupKind("batch", "CronJob"), BatchAssessors::cronJob),
        HealthAssessor.of(new GroupKind("argoproj.io", "Workflow"), BatchAssessors::workflow),
        HealthAssessor.of(new GroupKind("", "PersistentVolumeClaim"), ClusterAssessors::persistentVolumeClaim),
        HealthAssessor.of(new GroupKind("", "Service"), ClusterAssessors::service),
        HealthAssessor.of(new GroupKind("networking.k8s.io", "Ingress"), ClusterAssessors::ingress),
        // Ingress served by the old API group on clusters that still have it.
        HealthAssessor.of(new GroupKind("extensions", "Ingress"), ClusterAssessors::ingress),
        HealthAssessor.of(new GroupKind("autoscaling", "HorizontalPodAutoscaler"), ClusterAssessors::horizontalPodAutoscaler),
        HealthAssessor.of(new GroupKind("apiregistration.k8s.io", "APIService"), ClusterAssessors::apiService),
        HealthAssessor.of(new GroupKind("", "Namespace"), ClusterAssessors::namespace),
        HealthAssessor.of(new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition"),
            ClusterAssessors::customResourceDefinition));
  }
}
