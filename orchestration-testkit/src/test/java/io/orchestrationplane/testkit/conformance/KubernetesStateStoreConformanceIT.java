package io.orchestrationplane.testkit.conformance;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.k8s.KubernetesStateStore;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The Kubernetes store of ConfigMaps passes the whole contract over HTTP, against
 * kubernetes-mock-server in CRUD mode (a fresh server per test): durability by a second store over
 * the same namespace, damage by editing {@code data.value} behind the store's back, as {@code
 * kubectl edit} would. {@code KubernetesSecretStateStoreConformanceIT} runs the same over Secrets.
 */
class KubernetesStateStoreConformanceIT extends StateStoreContract {
  static final String NAMESPACE = "orchestration-system";
  private MockApiServer api;
  KubernetesClient client;

  /** Which objects the stores under test keep. */
  KubernetesStateStore.Kind kind() {
    return KubernetesStateStore.Kind.CONFIG_MAP;
  }

  @Override
  protected StateStore newStore(StateStore.Config config) {
    if (api == null) {
      api = MockApiServer.start();
      client = new KubernetesClientBuilder().withConfig(api.config()).build();
    }
    return KubernetesStateStore.builder(client, NAMESPACE).kind(kind()).config(config).build();
  }

  @Override
  protected boolean durable() {
    return true;
  }

  @Override
  protected StateStore reopen(StateStore.Config config) {
    return KubernetesStateStore.builder(client, NAMESPACE).kind(kind()).config(config).build();
  }

  @Override
  protected boolean damageable() {
    return true;
  }

  @Override
  protected void damage(StateStore store, StateKey key) {
    ConfigMap cm = client.configMaps().inNamespace(NAMESPACE).withName(KubernetesStateStore.objectName(key)).get();
    cm.setData(Map.of(KubernetesStateStore.VALUE_KEY, "{\"step\":\"edited by hand\"}"));
    client.configMaps().inNamespace(NAMESPACE).resource(cm).update();
  }

  @AfterEach
  void stopServer() {
    if (client != null) {
      client.close();
      api.close();
    }
  }
}
