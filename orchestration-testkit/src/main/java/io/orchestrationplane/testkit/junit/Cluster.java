package io.orchestrationplane.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the cluster an injected {@code InMemoryCluster}, {@code ClusterDriver} or {@code
 * WorkloadSimulator} parameter belongs to (with {@link KubernetesOrchestrationTest} also a {@code
 * KubernetesCluster}, {@code KubernetesClient} or {@code KubernetesMockServer}); optional when the
 * test has one cluster.
 *
 * <pre>{@code
 * @Test void t(@Cluster("prod") InMemoryCluster prod, @Cluster("prod") WorkloadSimulator kubelet) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Cluster {
  /** The cluster's name as declared in {@link OrchestrationTest#clusters()} or {@link KubernetesOrchestrationTest#clusters()}. */
  String value();
}
