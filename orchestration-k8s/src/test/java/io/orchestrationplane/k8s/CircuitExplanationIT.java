package io.orchestrationplane.k8s;

import static io.orchestrationplane.k8s.TestResources.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The circuit breaker's state explained, in its own words and in the errors of calls it refuses. */
class CircuitExplanationIT {
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");
  private MockApi api;

  @BeforeEach
  void start() {
    api = new MockApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void anOpenCircuitSaysWhyForHowLongAndWhenItProbes() throws Exception {
    ManualClock clock = ManualClock.create();
    try (FaultProxy proxy = new FaultProxy(api.server.getPort())) {
      Config viaProxy = new ConfigBuilder(Config.empty()).withMasterUrl(proxy.url()).build();
      try (KubernetesCluster flaky = KubernetesCluster.builder("flaky").config(viaProxy).limits(MockApi.FAST)
          .applyMode(ApplyMode.CLIENT_SIDE).clock(clock).build()) {
        flaky.apply(configMap("shop", "a", "k", "v"));
        assertThat(flaky.describeCircuit()).isEqualTo("circuit breaker CLOSED: calls go through and their failures are "
            + "counted (0 of the last 2 calls failed; it opens at 50% of the last 8 calls failing, counted from 4 calls)");

        proxy.down();
        catchThrowableOfType(ClusterException.class, () -> flaky.list(CONFIG_MAP, "shop", Map.of()));
        assertThat(flaky.circuitState()).isEqualTo(CircuitState.OPEN);
        Instant opened = clock.instant();

        clock.advance(Duration.ofSeconds(12));
        String open = "circuit breaker OPEN for 12s (since " + opened + "): 2 of the last 4 calls failed (50%; it opens at "
            + "50% of the last 8 calls failing, counted from 4 calls); calls fail at once without reaching the cluster until the "
            + "open period has passed; a probe goes through in 48s";
        assertThat(flaky.describeCircuit()).isEqualTo(open);
        ClusterException refused = catchThrowableOfType(ClusterException.class,
            () -> flaky.list(CONFIG_MAP, "shop", Map.of()));
        assertThat(refused.reason()).isEqualTo(ClusterException.Reason.UNAVAILABLE);
        assertThat(refused.getMessage()).contains("on cluster flaky: failing fast, " + open);

        clock.advance(Duration.ofMinutes(1));
        assertThat(flaky.describeCircuit()).endsWith("; the next call is a probe");
      }
    }
  }
}
