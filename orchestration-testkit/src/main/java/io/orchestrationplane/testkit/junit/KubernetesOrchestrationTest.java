package io.orchestrationplane.testkit.junit;

import io.orchestrationplane.testkit.junit.internal.KubernetesOrchestrationExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@link OrchestrationTest} over HTTP: starts one kubernetes-mock-server (CRUD mode) per declared
 * cluster once per test class, and gives each test a fresh {@link KubernetesEnvironment} on them:
 * an {@code OrchestrationPlane} with worker threads on the real clock, a {@code KubernetesCluster}
 * driver per cluster, a {@code WorkloadSimulator} per cluster writing status to the server, a raw
 * fabric8 {@code KubernetesClient} per cluster and the captured {@code PlaneEvents}. Inject any of
 * them (also {@code ClusterDriver}, {@code KubernetesMockServer}) into test methods, {@code
 * @BeforeEach}/{@code @AfterEach} methods or the constructor; name the cluster with {@link
 * Cluster @Cluster} when there are several.
 *
 * <p>Isolation: after each test the environment is closed and every server of the class is
 * reset, so its store (objects, CRDs, expectations) is empty when the next test starts. Tests of
 * one class therefore run one after the other ({@code SAME_THREAD}); classes may run in parallel.
 *
 * <pre>{@code
 * @KubernetesOrchestrationTest(clusters = "prod:tier=prod")
 * class RolloutIT {
 *   @Test
 *   void becomesReady(KubernetesEnvironment env, KubernetesClient raw) {
 *     assertThat(env.deploy(app)).isReady();   // waits, polling, until READY
 *     assertThat(raw.apps().deployments().inNamespace("shop").withName("api").get()).isNotNull();
 *   }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(KubernetesOrchestrationExtension.class)
@Execution(ExecutionMode.SAME_THREAD)
public @interface KubernetesOrchestrationTest {
  /**
   * The clusters, each {@code "name"} or {@code "name:key=value,key2=value2"} with its placement
   * labels; one mock server each. Default: one unlabelled cluster {@code dev}.
   */
  String[] clusters() default {"dev"};

  /** Whether dependents wait for their dependencies to be healthy (the plane's default: true). */
  boolean readinessGates() default true;

  /** The plane's progress deadline as an ISO-8601 duration ({@code "PT2M"}); empty for the plane's default. */
  String progressDeadline() default "";

  /** Whether the plane starts in continuous mode. */
  boolean startPlane() default true;

  /** How long the environment's waiting methods wait by default, ISO-8601. */
  String timeout() default "PT30S";

  /** Further settings, applied in order. */
  Class<? extends KubernetesEnvironmentConfigurer>[] configure() default {};
}
