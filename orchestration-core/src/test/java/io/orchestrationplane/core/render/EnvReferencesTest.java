package io.orchestrationplane.core.render;

import static io.orchestrationplane.core.render.Rendering.app;
import static io.orchestrationplane.core.render.Rendering.cronjob;
import static io.orchestrationplane.core.render.Rendering.plane;
import static io.orchestrationplane.core.render.Rendering.webservice;
import static io.orchestrationplane.core.render.Rendering.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Environment variables from Secret and ConfigMap keys ({@code envValueFrom}, {@code envFrom}) on the built-in workloads. */
class EnvReferencesTest {
  private static final String YAML = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Application
      metadata: {name: shop, namespace: shop-ns}
      spec:
        components:
          - name: api
            type: webservice
            properties:
              image: ghcr.io/acme/api:1.0
              env: {LOG_LEVEL: info}
              envValueFrom:
                DB_PASSWORD: {secretKeyRef: {name: db-credentials, key: password}}
                FLAGS: {configMapKeyRef: {name: api-config, key: flags.json, optional: true}}
              envFrom:
                - configMapRef: {name: api-settings}
                - prefix: TOKEN_
                  secretRef: {name: api-tokens}
      """;

  private static Component api() {
    Map<String, Object> valueFrom = new LinkedHashMap<>();
    valueFrom.put("DB_PASSWORD", EnvSources.secretKey("db-credentials", "password"));
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("name", "api-config");
    flags.put("key", "flags.json");
    flags.put("optional", true);
    valueFrom.put("FLAGS", Map.of("configMapKeyRef", flags));
    return webservice("api").property("env", Map.of("LOG_LEVEL", "info")).property("envValueFrom", valueFrom)
        .property("envFrom", List.of(EnvSources.configMap("api-settings"), EnvSources.secret("api-tokens", "TOKEN_")))
        .build();
  }

  @Test
  void referencesRenderAsValueFromAndEnvFromOnTheContainerTheSameFromYamlAndJava() {
    try (OrchestrationPlane plane = plane()) {
      Application fromYaml = plane.load(YAML);
      Application fromJava = app(api());
      assertThat(fromYaml).isEqualTo(fromJava);

      Resource deployment = plane.render(fromJava).get("default").stream()
          .filter(r -> r.kind().equals("Deployment")).findFirst().orElseThrow();
      JsonNode container = deployment.json().at("/spec/template/spec/containers/0");
      assertThat(container.get("env")).isEqualTo(Json.readJson("""
          [{"name": "LOG_LEVEL", "value": "info"},
           {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}},
           {"name": "FLAGS", "valueFrom": {"configMapKeyRef": {"name": "api-config", "key": "flags.json", "optional": true}}}]
          """));
      assertThat(container.get("envFrom")).isEqualTo(Json.readJson("""
          [{"configMapRef": {"name": "api-settings"}}, {"prefix": "TOKEN_", "secretRef": {"name": "api-tokens"}}]
          """));
    }
  }

  @Test
  void everyWorkloadTypeTakesThem() {
    for (Component.Builder c : List.of(worker("w"), Rendering.job("j"), cronjob("c", "@daily"))) {
      List<Resource> rendered = Rendering.render(c.property("envFrom", List.of(EnvSources.secret("creds"))).build());
      assertThat(rendered).anySatisfy(r -> assertThat(r.json().toString()).contains("\"envFrom\":[{\"secretRef\":{\"name\":\"creds\"}}]"));
    }
  }

  @Test
  void mistakesAreReportedWithTheirFieldPathsAndLines() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: shop-ns}
        spec:
          components:
            - name: api
              type: webservice
              properties:
                image: ghcr.io/acme/api:1.0
                env: {DB_PASSWORD: x}
                envValueFrom:
                  DB_PASSWORD: {secretKeyRef: {name: db-credentials, key: password}}
                  API_KEY: {value: hunter2}
                  BOTH: {secretKeyRef: {name: a, key: k}, configMapKeyRef: {name: b, key: k}}
                  BAD_KEY: {secretKeyRef: {name: Creds, key: "a/b"}}
                envFrom:
                  - {secretRef: {key: x}}
                  - {prefix: "A=", configMapRef: {name: settings, optional: "yes"}}
        """;
    try (OrchestrationPlane plane = plane()) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.load(yaml));
      String p = "spec.components[0].properties.";
      assertThat(e.problems()).extracting(pr -> pr.path() + ": " + pr.message()).containsExactlyInAnyOrder(
          p + "envValueFrom.DB_PASSWORD: variable 'DB_PASSWORD' is also set in env: a variable has a value or a reference, not both",
          p + "envValueFrom.API_KEY: must have exactly one of secretKeyRef, configMapKeyRef",
          p + "envValueFrom.API_KEY.value: unknown field 'value' (known: secretKeyRef, configMapKeyRef): plain values "
              + "belong in env; a secret value belongs in a Secret, referenced here by name and key",
          p + "envValueFrom.BOTH: must have exactly one of secretKeyRef, configMapKeyRef, has 2",
          p + "envValueFrom.BAD_KEY.secretKeyRef.name: 'Creds' is not a valid RFC 1123 subdomain: use lower-case letters, digits, '-' and '.'",
          p + "envValueFrom.BAD_KEY.secretKeyRef.key: 'a/b' is not a valid key: use letters, digits, '-', '_' and '.', at most 253",
          p + "envFrom[0].secretRef.key: unknown field 'key' (known: name, optional)",
          p + "envFrom[0].secretRef.name: is required",
          p + "envFrom[1].prefix: must not contain '=', got \"A=\"",
          p + "envFrom[1].configMapRef.optional: must be a boolean");
      assertThat(e.problems()).filteredOn(pr -> pr.path().endsWith("envFrom[1].prefix")).singleElement()
          .satisfies(pr -> assertThat(pr.line()).isEqualTo(18));
      assertThat(e.getMessage()).doesNotContain("hunter2");
    }
  }
}
