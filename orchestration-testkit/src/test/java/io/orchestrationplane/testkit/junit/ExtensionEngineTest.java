package io.orchestrationplane.testkit.junit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.testkit.Shop;
import io.orchestrationplane.testkit.TestEnvironment;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small test classes that use the extension through the JUnit engine, to check what a single
 * test cannot see: isolation, parallel execution, closing, and errors for misuse.
 */
class ExtensionEngineTest {

  /**
   * Environments the fixture classes saw, so this test can look at them after the engine ran.
   * Static because the engine instantiates the fixtures itself; each test clears it first and
   * the classes using it never run in parallel with each other (they run inside one test).
   */
  static final Queue<TestEnvironment> SEEN = new ConcurrentLinkedQueue<>();

  private static Events run(Class<?> fixture, boolean parallel) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", String.valueOf(parallel))
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
        .selectors(selectClass(fixture))
        .execute().testEvents();
  }

  @OrchestrationTest
  static class Isolated {
    // four tests that meet inside the latch: they really run at the same time
    static final CountDownLatch TOGETHER = new CountDownLatch(4);

    private void deployAndCheck(TestEnvironment env, InMemoryCluster dev, int replicas) throws Exception {
      SEEN.add(env);
      TOGETHER.countDown();
      assertThat(TOGETHER.await(30, TimeUnit.SECONDS)).as("the four tests run in parallel").isTrue();
      assertThat(dev.size()).as("a fresh cluster").isZero();
      assertThat(env.events().size()).isZero();
      assertThat(env.deploy(Shop.shop(replicas))).isReady();
      assertThat(dev).hasResource("Deployment", "shop/api").withField("spec.replicas", replicas);
      assertThat(env.clock().instant()).isBefore(java.time.Instant.parse("2026-01-01T00:05:00Z"));
    }

    @Test
    void one(TestEnvironment env, InMemoryCluster dev) throws Exception {
      deployAndCheck(env, dev, 1);
    }

    @Test
    void two(TestEnvironment env, InMemoryCluster dev) throws Exception {
      deployAndCheck(env, dev, 2);
    }

    @Test
    void three(TestEnvironment env, InMemoryCluster dev) throws Exception {
      deployAndCheck(env, dev, 3);
    }

    @Test
    void four(TestEnvironment env, InMemoryCluster dev) throws Exception {
      deployAndCheck(env, dev, 4);
    }
  }

  @Test
  void testsRunningInParallelEachGetTheirOwnEnvironmentClosedAfterwards() {
    SEEN.clear();
    Events events = run(Isolated.class, true);
    events.assertStatistics(s -> s.started(4).succeeded(4).failed(0));
    assertThat(SEEN).hasSize(4).doesNotHaveDuplicates().allSatisfy(env -> assertThat(env.isClosed()).isTrue());
    assertThat(SEEN.stream().map(TestEnvironment::plane).distinct()).hasSize(4);
  }

  @OrchestrationTest
  static class UnknownCluster {
    @Test
    void t(@Cluster("nope") InMemoryCluster c) {
    }
  }

  @OrchestrationTest(clusters = "prod:tier")
  static class BadSpec {
    @Test
    void t(OrchestrationPlane plane) {
    }
  }

  @OrchestrationTest
  static class BeforeAllInjection {
    @BeforeAll
    static void all(OrchestrationPlane plane) {
    }

    @Test
    void t() {
    }
  }

  @OrchestrationTest(clusters = {"a", "b"})
  @Execution(ExecutionMode.SAME_THREAD)
  static class Ambiguous {
    @Test
    void t(InMemoryCluster which) {
    }
  }

  /** A configurer JUnit cannot create. */
  static final class NeedsArgument implements EnvironmentConfigurer {
    NeedsArgument(String unused) {
    }

    @Override
    public void configure(TestEnvironment.Builder environment) {
    }
  }

  @OrchestrationTest(configure = NeedsArgument.class)
  static class BadConfigurer {
    @Test
    void t(OrchestrationPlane plane) {
    }
  }

  @Test
  void misuseFailsWithAMessageThatSaysWhatToDo() {
    run(BadConfigurer.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("EnvironmentConfigurer " + NeedsArgument.class.getName()
            + " needs a no-argument constructor")))));
    run(UnknownCluster.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("no cluster named 'nope'; the environment has [dev]")))));
    run(BadSpec.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("cluster spec \"prod:tier\": label \"tier\" is not key=value")))));
    run(Ambiguous.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("the environment has 2 clusters [a, b]; name the one you mean")))));
    Events beforeAll = EngineTestKit.engine("junit-jupiter").selectors(selectClass(BeforeAllInjection.class))
        .execute().containerEvents();
    beforeAll.assertThatEvents().haveExactly(1, finishedWithFailure(
        message(m -> m.contains("@OrchestrationTest gives each test its own environment"))));
  }
}
