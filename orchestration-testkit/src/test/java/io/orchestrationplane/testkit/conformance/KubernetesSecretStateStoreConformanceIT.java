package io.orchestrationplane.testkit.conformance;

import io.fabric8.kubernetes.api.model.Secret;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.k8s.KubernetesStateStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The Kubernetes store of Secrets passes the same contract as the one of ConfigMaps. */
class KubernetesSecretStateStoreConformanceIT extends KubernetesStateStoreConformanceIT {
  @Override
  KubernetesStateStore.Kind kind() {
    return KubernetesStateStore.Kind.SECRET;
  }

  /** Replaces the Secret's value with other (valid, base64) JSON, as {@code kubectl edit} would. */
  @Override
  protected void damage(StateStore store, StateKey key) {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(KubernetesStateStore.objectName(key)).get();
    secret.setData(Map.of(KubernetesStateStore.VALUE_KEY, Base64.getEncoder().encodeToString(
        "{\"step\":\"edited by hand\"}".getBytes(StandardCharsets.UTF_8))));
    client.secrets().inNamespace(NAMESPACE).resource(secret).update();
  }
}
