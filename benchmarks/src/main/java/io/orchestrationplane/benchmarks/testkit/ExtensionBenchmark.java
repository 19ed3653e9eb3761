package io.orchestrationplane.benchmarks.testkit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code @OrchestrationTest} costs a team's test suite, after JVM warm-up:
 * <ul>
 *   <li>{@code threeComponentTest}: the body of a typical test — a fresh environment (plane,
 *       cluster, clock, scheduler, started simulator), plan and apply a three-component
 *       application (db ← api ← web, readiness-gated), settle until READY, assert, close;
 *   <li>{@code threeComponentTestThroughJUnit}: the same test class run by the JUnit engine with
 *       the extension (discovery, lifecycle, parameter injection included);
 *   <li>{@code emptyTestWithExtension} vs {@code emptyTestWithoutExtension}: a test class with one
 *       empty test, with and without an injected plane; the difference is the extension's
 *       start-up cost per test class.
 * </ul>
 * Scores are milliseconds per test (class).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ExtensionBenchmark {

  static Application shop() {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("db", "worker").property("image", "acme/db:1").build())
        .component(Component.builder("api", "webservice").property("image", "acme/api:1").property("replicas", 3)
            .dependsOn("db").build())
        .component(Component.builder("web", "webservice").property("image", "acme/web:1").dependsOn("api").build())
        .build();
  }

  /** The test a team writes: plan, apply, wait until ready, assert. */
  static void planApplyAndAssert(TestEnvironment env, OrchestrationPlane plane, InMemoryCluster prod) {
    Application app = shop();
    assertThat(plane.plan(app)).hasCreates(5);
    plane.submit(app);
    env.settle();
    assertThat(plane.status(app)).isReady();
    assertThat(prod).hasResource("Deployment", "shop/api").withField("spec.replicas", 3);
  }

  /** A test class as a team writes it. */
  @OrchestrationTest(clusters = "prod:tier=prod")
  public static class ThreeComponentTest {
    @Test
    void deploysTheShop(TestEnvironment env, OrchestrationPlane plane, InMemoryCluster prod) {
      planApplyAndAssert(env, plane, prod);
    }
  }

  /** One empty test that gets a plane from the extension. */
  @OrchestrationTest(clusters = "prod:tier=prod")
  public static class EmptyWithExtension {
    @Test
    void nothing(OrchestrationPlane plane) {
    }
  }

  /** One empty test, no extension. */
  public static class EmptyWithoutExtension {
    @Test
    void nothing() {
    }
  }

  private static long runOne(Class<?> testClass) {
    long succeeded = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
        .execute().testEvents().succeeded().count();
    if (succeeded != 1) {
      throw new IllegalStateException(testClass.getSimpleName() + " did not pass");
    }
    return succeeded;
  }

  @Benchmark
  public long threeComponentTest() {
    try (TestEnvironment env = TestEnvironment.builder().cluster("prod:tier=prod").build()) {
      planApplyAndAssert(env, env.plane(), env.cluster("prod"));
      return env.reconciles();
    }
  }

  @Benchmark
  public long threeComponentTestThroughJUnit() {
    return runOne(ThreeComponentTest.class);
  }

  @Benchmark
  public long emptyTestWithExtension() {
    return runOne(EmptyWithExtension.class);
  }

  @Benchmark
  public long emptyTestWithoutExtension() {
    return runOne(EmptyWithoutExtension.class);
  }
}
