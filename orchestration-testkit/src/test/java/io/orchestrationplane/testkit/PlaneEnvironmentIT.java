package io.orchestrationplane.testkit;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.testkit.junit.KubernetesEnvironment;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * One helper written against {@link PlaneEnvironment} runs unchanged in memory on simulated time
 * and over HTTP against kubernetes-mock-server on the real clock.
 */
class PlaneEnvironmentIT {

  /** What a team would write once and call from both kinds of test. */
  private static void deploysTheShopOnTheProdCluster(PlaneEnvironment env) {
    assertThat(env.clusterNames()).containsExactly("prod", "staging");
    assertThat(env.labels("prod")).isEqualTo(Map.of("tier", "prod"));
    assertThat(env.labels("staging")).isEqualTo(Map.of("tier", "staging"));
    assertThat(env.deploy(Shop.placed("shop", "prod"))).isReady();
    assertThat(env.driver("prod")).hasResource("Deployment", "shop/api");
    assertThat(env.driver("staging")).doesNotHave("Deployment", "shop/api");
    assertThat(env.simulator("prod")).isNotSameAs(env.simulator("staging"));
    assertThat(env.events().ofType(PlaneEvent.Type.APPLIED)).isNotEmpty();
    assertThatThrownBy(() -> env.simulator("dev")).isInstanceOf(NoSuchElementException.class)
        .hasMessage("no cluster named 'dev'; the environment has [prod, staging]");
    assertThatThrownBy(env::driver).isInstanceOf(IllegalStateException.class)
        .hasMessage("the environment has 2 clusters [prod, staging]; name the one you mean");
  }

  private static void closesOnceAndForAll(PlaneEnvironment env) {
    assertThat(env.isClosed()).isFalse();
    env.close();
    env.close(); // idempotent
    assertThat(env.isClosed()).isTrue();
  }

  @Test
  void aHelperWrittenForEitherEnvironmentRunsInMemory() {
    TestEnvironment env = TestEnvironment.builder()
        .cluster("prod", Map.of("tier", "prod")).cluster("staging:tier=staging").build();
    try (env) {
      deploysTheShopOnTheProdCluster(env);
    }
    closesOnceAndForAll(TestEnvironment.builder().build());
  }

  @Test
  void aHelperWrittenForEitherEnvironmentRunsOverHttp() {
    KubernetesEnvironment env = KubernetesEnvironment.builder()
        .cluster("prod", Map.of("tier", "prod")).cluster("staging:tier=staging").build();
    try (env) {
      deploysTheShopOnTheProdCluster(env);
    }
    closesOnceAndForAll(KubernetesEnvironment.builder().build());
  }
}
