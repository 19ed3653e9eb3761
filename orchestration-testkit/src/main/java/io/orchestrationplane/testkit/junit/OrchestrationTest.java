package io.orchestrationplane.testkit.junit;

import io.orchestrationplane.testkit.junit.internal.OrchestrationExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh, deterministic {@link io.orchestrationplane.testkit.TestEnvironment}:
 * an {@code OrchestrationPlane} in continuous mode without worker threads, wired to named,
 * labelled {@code InMemoryCluster}s, a {@code ManualClock}, a manual {@code Scheduler}, a
 * started {@code WorkloadSimulator} per cluster and the captured {@code PlaneEvents}; closed
 * after the test. Inject any of them as parameters of test methods, {@code @BeforeEach} /
 * {@code @AfterEach} methods or the constructor; name a cluster (or its simulator) with
 * {@link Cluster @Cluster}. Safe under parallel execution: nothing is shared between tests.
 *
 * <pre>{@code
 * @OrchestrationTest(clusters = {"staging:tier=staging", "prod:tier=prod"})
 * class RolloutTest {
 *   @Test
 *   void rollsOutToProd(OrchestrationPlane plane, @Cluster("prod") InMemoryCluster prod, TestEnvironment env) {
 *     plane.submit(app);
 *     env.settle();
 *     assertThat(prod).hasResource("Deployment", "shop/api").withField("spec.replicas", 3);
 *   }
 * }
 * }</pre>
 *
 * <p>On a method it replaces the class's settings for that test.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(OrchestrationExtension.class)
public @interface OrchestrationTest {
  /**
   * The clusters, each {@code "name"} or {@code "name:key=value,key2=value2"} with its placement
   * labels. Default: one unlabelled cluster {@code dev}.
   */
  String[] clusters() default {"dev"};

  /** Whether dependents wait for their dependencies to be healthy (the plane's default: true). */
  boolean readinessGates() default true;

  /** The plane's progress deadline as an ISO-8601 duration ({@code "PT2M"}); empty for the plane's default. */
  String progressDeadline() default "";

  /** Whether the plane starts in continuous mode; false for tests that only plan and apply. */
  boolean startPlane() default true;

  /** Further settings (custom component types, simulator timings, fault injection), applied in order. */
  Class<? extends EnvironmentConfigurer>[] configure() default {};
}
