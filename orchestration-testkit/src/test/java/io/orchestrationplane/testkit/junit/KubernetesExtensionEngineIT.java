package io.orchestrationplane.testkit.junit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.k8s.KubernetesCluster;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small classes using {@code @KubernetesOrchestrationTest} through the JUnit engine, to see
 * what one test cannot: that tests of a class take turns on its servers even when the run is
 * parallel, that each finds them empty, that the environment is closed afterwards, and the
 * messages for misuse.
 */
class KubernetesExtensionEngineIT {
  /**
   * What the fixture tests saw. Static because the engine creates the fixtures itself; cleared by
   * the one test that runs them.
   */
  static final Queue<KubernetesEnvironment> SEEN = new ConcurrentLinkedQueue<>();
  static final Queue<KubernetesMockServer> SERVERS = new ConcurrentLinkedQueue<>();
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

  private static Events run(Class<?> fixture, boolean parallel) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", String.valueOf(parallel))
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "3")
        .selectors(selectClass(fixture))
        .execute().testEvents();
  }

  @KubernetesOrchestrationTest
  static class TakingTurns {
    private void writeAndCheck(KubernetesEnvironment env, KubernetesClient raw, KubernetesMockServer server) {
      MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      try {
        SEEN.add(env);
        SERVERS.add(server);
        assertThat(raw.configMaps().inAnyNamespace().list().getItems()).as("an empty server").isEmpty();
        raw.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("left")
            .endMetadata().build()).create();
      } finally {
        RUNNING.decrementAndGet();
      }
    }

    @Test
    void one(KubernetesEnvironment env, KubernetesClient raw, KubernetesMockServer server) {
      writeAndCheck(env, raw, server);
    }

    @Test
    void two(KubernetesEnvironment env, KubernetesClient raw, KubernetesMockServer server) {
      writeAndCheck(env, raw, server);
    }

    @Test
    void three(KubernetesEnvironment env, KubernetesClient raw, KubernetesMockServer server) {
      writeAndCheck(env, raw, server);
    }
  }

  @Test
  void testsOfAClassTakeTurnsOnItsServersEvenInAParallelRunAndEachFindsThemEmpty() {
    SEEN.clear();
    SERVERS.clear();
    MOST_AT_ONCE.set(0);
    Events events = run(TakingTurns.class, true);

    events.assertStatistics(s -> s.started(3).succeeded(3).failed(0));
    assertThat(MOST_AT_ONCE.get()).isEqualTo(1);
    assertThat(SERVERS).hasSize(3).containsOnly(SERVERS.peek());
    assertThat(SEEN).hasSize(3).doesNotHaveDuplicates().allSatisfy(env -> assertThat(env.isClosed()).isTrue());
  }

  /** Pods that take a while, so a test can end in the middle of a rollout. */
  static final class SlowPods implements KubernetesEnvironmentConfigurer {
    @Override
    public void configure(KubernetesEnvironment.Builder environment) {
      environment.simulator(s -> s.containerStart(Duration.ofMillis(300)).readiness(Duration.ofMillis(300)));
    }
  }

  @KubernetesOrchestrationTest(configure = SlowPods.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class EndingMidRollout {
    @Test
    @Order(1)
    void leavesWhileThePlaneAndTheSimulatorAreBusy(KubernetesEnvironment env, KubernetesClient raw) {
      env.plane().submit(KubernetesOrchestrationTestIT.shop());
      // ends as soon as the first object exists: the plane and the simulator have writes to come
      env.await(() -> raw.apps().deployments().inNamespace("shop").withName("db").get() != null);
    }

    @Test
    @Order(2)
    void findsNothingOfIt(KubernetesEnvironment env, KubernetesClient raw) {
      assertThat(raw.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
      assertThat(raw.apps().replicaSets().inAnyNamespace().list().getItems()).isEmpty();
      assertThat(raw.pods().inAnyNamespace().list().getItems()).isEmpty();
      assertThat(raw.services().inAnyNamespace().list().getItems()).isEmpty();
    }
  }

  @Test
  void aTestEndingMidRolloutLeavesNothingBehindForTheNext() {
    run(EndingMidRollout.class, false).assertStatistics(s -> s.started(2).succeeded(2).failed(0));
  }

  @KubernetesOrchestrationTest
  static class UnknownCluster {
    @Test
    void t(@Cluster("nope") KubernetesCluster c) {
    }
  }

  @KubernetesOrchestrationTest(clusters = {"a", "b"})
  static class Ambiguous {
    @Test
    void t(KubernetesClient which) {
    }
  }

  @KubernetesOrchestrationTest(timeout = "30s")
  static class BadTimeout {
    @Test
    void t(OrchestrationPlane plane) {
    }
  }

  @KubernetesOrchestrationTest
  static class BeforeAllInjection {
    @BeforeAll
    static void all(OrchestrationPlane plane) {
    }

    @Test
    void t() {
    }
  }

  @Test
  void misuseFailsWithAMessageThatSaysWhatToDo() {
    run(UnknownCluster.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("no cluster named 'nope'; the environment has [dev]")))));
    run(Ambiguous.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("the environment has 2 clusters [a, b]; name the one you mean")))));
    run(BadTimeout.class, false).assertThatEvents().haveExactly(1, event(test("t"),
        finishedWithFailure(message(m -> m.contains("@KubernetesOrchestrationTest(timeout = \"30s\") is not an"
            + " ISO-8601 duration")))));
    Events beforeAll = EngineTestKit.engine("junit-jupiter").selectors(selectClass(BeforeAllInjection.class))
        .execute().containerEvents();
    beforeAll.assertThatEvents().haveExactly(1, finishedWithFailure(
        message(m -> m.contains("@KubernetesOrchestrationTest gives each test its own environment"))));
  }
}
