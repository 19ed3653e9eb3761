package io.orchestrationplane.k8s;

import static io.orchestrationplane.k8s.TestResources.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.orchestrationplane.core.cluster.ClusterException.Reason;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the API server's faults do to calls, over HTTP against the mock (waits are tiny here). */
class FaultIT {
  private static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps";
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");

  private MockApi api;
  private KubernetesCluster cluster;
  private final List<Duration> retryWaits = new CopyOnWriteArrayList<>();
  private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    api = new MockApi();
    cluster = KubernetesCluster.builder("mock").config(api.config()).limits(MockApi.FAST)
        .applyMode(ApplyMode.CLIENT_SIDE).onRetry(e -> {
          retries.add(e);
          retryWaits.add(e.delay());
        }).build();
  }

  @AfterEach
  void stop() {
    cluster.close();
    api.close();
  }

  @Test
  void throttledCallsWaitAsRetryAfterAsksUpToTheCapThenSucceed() {
    cluster.apply(configMap("shop", "a", "k", "v"));
    api.server.expect().get().withPath(CONFIG_MAPS + "/a")
        .andReturn(429, "Too many requests, please try again later.").withHeader("Retry-After", "1").times(2);

    Resource live = cluster.get(ResourceKey.of("mock", "", "ConfigMap", "shop", "a")).orElseThrow();

    assertThat(live.at("/data/k").asString()).isEqualTo("v");
    // Retry-After: 1 s, capped by maxRetryAfter (20 ms) in these limits; backoff alone is <= 2 ms.
    assertThat(retryWaits).containsExactly(Duration.ofMillis(20), Duration.ofMillis(20));
  }

  @Test
  void throttlingThatOutlastsTheAttemptsFailsAsTooManyRequestsWithTheServersWait() {
    api.server.expect().get().withPath(CONFIG_MAPS + "/a")
        .andReturn(429, "slow down").withHeader("Retry-After", "3").always();

    assertThatThrownBy(() -> cluster.get(ResourceKey.of("mock", "", "ConfigMap", "shop", "a")))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_REQUESTS);
          assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        });
    assertThat(retryWaits).hasSize(MockApi.FAST.maxAttempts() - 1);
    assertThat(retries).extracting(RetryEvent::attempt).as("the attempts that failed and were retried")
        .containsExactly(1, 2, 3);
    assertThat(retries).allSatisfy(r -> {
      assertThat(r.cluster()).isEqualTo("mock");
      assertThat(r.failure().reason()).isEqualTo(Reason.TOO_MANY_REQUESTS);
      assertThat(r.failure()).hasMessageContaining("shop/a");
    });
  }

  @Test
  void serverErrorsAreRetriedWithBackoffUntilTheCreateSucceeds() {
    api.server.expect().post().withPath(CONFIG_MAPS).andReturn(500, "etcd leader changed").times(2);

    Resource stored = cluster.apply(configMap("shop", "a", "k", "v"));

    assertThat(stored.resourceVersion()).isNotNull();
    assertThat(retryWaits).hasSize(2).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofMillis(2)));
  }

  @Test
  void aConflictOnUpdateIsReadAgainAndMergedAgain() {
    cluster.apply(configMap("shop", "a", "k", "v1"));
    api.server.expect().put().withPath(CONFIG_MAPS + "/a").andReturn(409, """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,
         "message":"the object has been modified; please apply your changes to the latest version"}""").once();

    Resource stored = cluster.apply(configMap("shop", "a", "k", "v2"));

    assertThat(stored.at("/data/k").asString()).isEqualTo("v2");
    assertThat(retryWaits).as("conflicts are resolved by re-reading, not by the retry").isEmpty();
  }

  @Test
  void aCreateOfAnExistingObjectIsRefusedWithOneRequestNotResent() {
    cluster.create(configMap("shop", "a", "k", "v"));
    // as an API server answers (the mock's own 409 says reason Invalid)
    api.server.expect().post().withPath(CONFIG_MAPS).andReturn(409, """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"AlreadyExists","code":409,
         "message":"configmaps \\"a\\" already exists"}""").always();
    int before = api.server.getRequestCount();

    assertThatThrownBy(() -> cluster.create(configMap("shop", "a", "k", "other")))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));

    assertThat(api.server.getRequestCount() - before).as("requests for a create that meets an existing object")
        .isEqualTo(1);
    assertThat(retryWaits).as("the same POST would meet the same object: it is not retried").isEmpty();
  }

  @Test
  void aRefusedConnectionIsUnavailableAfterTheRetries() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Config nowhere = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + closedPort + "/").build();
    List<Duration> waits = new CopyOnWriteArrayList<>();
    try (KubernetesCluster dead = KubernetesCluster.builder("nowhere").config(nowhere).limits(MockApi.FAST)
        .onRetry(e -> waits.add(e.delay())).build()) {

      assertThatThrownBy(() -> dead.list(CONFIG_MAP, "shop", Map.of()))
          .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
      assertThat(waits).hasSize(MockApi.FAST.maxAttempts() - 1);
    }
  }

  @Test
  void aDeadClusterOpensItsCircuitWhileTheOtherKeepsWorkingAndLosesNothing() throws Exception {
    try (MockApi otherApi = new MockApi();
         FaultProxy proxy = new FaultProxy(otherApi.server.getPort())) {
      Config viaProxy = new ConfigBuilder(Config.empty()).withMasterUrl(proxy.url()).withNamespace("default").build();
      try (KubernetesCluster flaky = KubernetesCluster.builder("flaky").config(viaProxy).limits(MockApi.FAST)
          .applyMode(ApplyMode.CLIENT_SIDE).build()) {
        for (int i = 0; i < 3; i++) {
          flaky.apply(configMap("shop", "cm-" + i, "k", "v"));
        }
        proxy.down();

        // What a prune does: list what is there, delete what is not wanted. A dead cluster must
        // fail both calls, never answer "nothing there" or "already gone".
        assertThatThrownBy(() -> flaky.list(CONFIG_MAP, "shop", Map.of()))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
        assertThat(flaky.isCircuitOpen()).isTrue();
        int attemptsWhenOpened = proxy.connectionsWhileDown();
        assertThatThrownBy(() -> flaky.delete(ResourceKey.of("flaky", "", "ConfigMap", "shop", "cm-0")))
            .isInstanceOfSatisfying(ClusterException.class, e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(e.getCause()).isInstanceOf(CallNotPermittedException.class);
            });
        assertThat(proxy.connectionsWhileDown()).as("an open circuit sends nothing").isEqualTo(attemptsWhenOpened);

        for (int i = 0; i < 20; i++) {
          cluster.apply(configMap("shop", "healthy-" + i, "k", "v"));
        }
        assertThat(cluster.list(CONFIG_MAP, "shop", Map.of())).hasSize(20);

        proxy.up();
        try (var raw = otherApi.rawClient()) {
          assertThat(raw.configMaps().inNamespace("shop").list().getItems())
              .extracting(cm -> cm.getMetadata().getName()).containsExactly("cm-0", "cm-1", "cm-2");
        }
      }
    }
  }

  @Test
  void anOpenCircuitLetsAProbeThroughAfterItsOpenDurationAndClosesWhenTheClusterIsBack() throws Exception {
    io.orchestrationplane.core.time.ManualClock clock = io.orchestrationplane.core.time.ManualClock.create();
    List<CircuitTransition> transitions = new CopyOnWriteArrayList<>();
    try (FaultProxy proxy = new FaultProxy(api.server.getPort())) {
      Config viaProxy = new ConfigBuilder(Config.empty()).withMasterUrl(proxy.url()).build();
      try (KubernetesCluster flaky = KubernetesCluster.builder("flaky").config(viaProxy).limits(MockApi.FAST)
          .applyMode(ApplyMode.CLIENT_SIDE).clock(clock).onCircuitTransition(transitions::add).build()) {
        flaky.apply(configMap("shop", "a", "k", "v"));
        proxy.down();
        assertThatThrownBy(() -> flaky.list(CONFIG_MAP, "shop", Map.of())).isInstanceOf(ClusterException.class);
        assertThat(flaky.isCircuitOpen()).isTrue();
        proxy.up();

        // Still open: the cluster is back, but the open period has not passed on the cluster's clock.
        assertThatThrownBy(() -> flaky.list(CONFIG_MAP, "shop", Map.of()))
            .hasCauseInstanceOf(CallNotPermittedException.class);

        clock.advance(MockApi.FAST.openDuration().plusSeconds(1));

        assertThat(flaky.list(CONFIG_MAP, "shop", Map.of())).extracting(Resource::name).containsExactly("a");
        assertThat(flaky.isCircuitOpen()).isFalse();
        assertThat(flaky.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly(
            new CircuitTransition("flaky", CircuitState.CLOSED, CircuitState.OPEN),
            new CircuitTransition("flaky", CircuitState.OPEN, CircuitState.HALF_OPEN),
            new CircuitTransition("flaky", CircuitState.HALF_OPEN, CircuitState.CLOSED));
      }
    }
  }

  @Test
  void aServerMessageQuotingASecretsValuesReachesNeitherTheFailureNorItsCausesNorARetryEvent() {
    // a circuit that stays closed, so that the last attempt's own failure is the one thrown
    List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    KubernetesCluster cluster = KubernetesCluster.builder("mock").config(api.config())
        .limits(MockApi.FAST.toBuilder().minimumCalls(1000).slidingWindowSize(1000).build())
        .applyMode(ApplyMode.CLIENT_SIDE).onRetry(retries::add).build();
    String password = "pw-Zq7-canary-991";
    String encoded = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
    String token = "tok-canary-5531xyz";
    Resource secret = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        data: {password: %s}
        stringData: {token: %s}
        """.formatted(encoded, token));
    // a webhook that echoes the request, as some do in their denial
    api.fail(MockApi.is("POST", "/secrets"), 500, "Internal error occurred: admission webhook \"vault.example.com\" "
        + "failed: {\"data\":{\"password\":\"" + encoded + "\"},\"stringData\":{\"token\":\"" + token
        + "\"}} (decoded: " + password + ")");

    assertThatThrownBy(() -> cluster.apply(secret)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
      assertThat(e.getMessage()).contains("Secret shop/db", "HTTP 500", "admission webhook", "hmac:");
      assertThat(ClusterErrorsTestView.everything(e)).doesNotContain(password, encoded, token);
    });
    assertThat(retries).as("retried, each retry event scrubbed too").hasSize(MockApi.FAST.maxAttempts() - 1)
        .allSatisfy(r -> assertThat(ClusterErrorsTestView.everything(r.failure())).doesNotContain(password, encoded, token));

    api.heal();
    cluster.apply(secret);
    String rotated = "pw-rotated-canary-4471";
    Resource next = secret.edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("data")).put("password",
        Base64.getEncoder().encodeToString(rotated.getBytes(StandardCharsets.UTF_8))));
    api.fail(MockApi.is("PUT", "/secrets/db"), 422, "Secret \"db\" is invalid: data[password]: Invalid value: \""
        + rotated + "\": was " + password);

    assertThatThrownBy(() -> cluster.apply(next)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.INVALID);
      assertThat(e.getMessage()).contains("HTTP 422", "is invalid");
      assertThat(ClusterErrorsTestView.everything(e)).doesNotContain(rotated, password);
    });
    cluster.close();
  }

  @Test
  void aServerMessageAboutASecretWithAShortValueIsWithheldWhole() {
    Resource secret = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: pin, namespace: shop}
        stringData: {pin: "4711"}
        """);
    api.fail(MockApi.is("POST", "/secrets"), 422, "Secret \"pin\" is invalid: stringData.pin: Invalid value: \"4711\"");

    assertThatThrownBy(() -> cluster.apply(secret)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.INVALID);
      assertThat(e.getMessage()).contains("Secret shop/pin", "HTTP 422", "withheld");
      assertThat(ClusterErrorsTestView.everything(e)).doesNotContain("4711", "Invalid value");
    });
  }

  /** Every message of a failure and its causes, and its stack trace, as a log line would show them. */
  private static final class ClusterErrorsTestView {
    static String everything(Throwable failure) {
      java.io.StringWriter out = new java.io.StringWriter();
      failure.printStackTrace(new java.io.PrintWriter(out));
      return out + " " + failure;
    }
  }
}
