package io.orchestrationplane.core.render;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Values for the built-in workload types' {@code envValueFrom} and {@code envFrom} properties in
 * Java: environment variables read from Secret and ConfigMap keys by the kubelet, so the
 * application names where a secret is, never its value. The maps have the shape of Kubernetes'
 * {@code EnvVarSource} and {@code EnvFromSource}, as in YAML.
 *
 * <pre>{@code
 * Component.builder("api", "webservice")
 *     .property("image", "ghcr.io/acme/api:1.4.2")
 *     .property("envValueFrom", Map.of(
 *         "DB_PASSWORD", EnvSources.secretKey("db-credentials", "password"),
 *         "FEATURE_FLAGS", EnvSources.configMapKey("api-config", "flags")))
 *     .property("envFrom", List.of(EnvSources.configMap("api-settings"), EnvSources.secret("api-tokens", "TOKEN_")))
 *     .build();
 * }</pre>
 */
public final class EnvSources {
  private EnvSources() {}

  /** {@code {secretKeyRef: {name, key}}}: the variable is the value of {@code key} in Secret {@code secret}. */
  public static Map<String, Object> secretKey(String secret, String key) {
    return Map.of("secretKeyRef", ref(secret, key));
  }

  /** {@code {configMapKeyRef: {name, key}}}: the variable is the value of {@code key} in ConfigMap {@code configMap}. */
  public static Map<String, Object> configMapKey(String configMap, String key) {
    return Map.of("configMapKeyRef", ref(configMap, key));
  }

  /** {@code {secretRef: {name}}}: every key of the Secret becomes a variable. */
  public static Map<String, Object> secret(String secret) {
    return Map.of("secretRef", Map.of("name", Objects.requireNonNull(secret, "secret")));
  }

  /** {@code {prefix, secretRef: {name}}}: every key of the Secret becomes a variable named {@code prefix + key}. */
  public static Map<String, Object> secret(String secret, String prefix) {
    return Map.of("prefix", Objects.requireNonNull(prefix, "prefix"), "secretRef",
        Map.of("name", Objects.requireNonNull(secret, "secret")));
  }

  /** {@code {configMapRef: {name}}}: every key of the ConfigMap becomes a variable. */
  public static Map<String, Object> configMap(String configMap) {
    return Map.of("configMapRef", Map.of("name", Objects.requireNonNull(configMap, "configMap")));
  }

  /** {@code {prefix, configMapRef: {name}}}: every key of the ConfigMap becomes a variable named {@code prefix + key}. */
  public static Map<String, Object> configMap(String configMap, String prefix) {
    return Map.of("prefix", Objects.requireNonNull(prefix, "prefix"), "configMapRef",
        Map.of("name", Objects.requireNonNull(configMap, "configMap")));
  }

  private static Map<String, Object> ref(String name, String key) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", Objects.requireNonNull(name, "name"));
    ref.put("key", Objects.requireNonNull(key, "key"));
    return ref;
  }
}
