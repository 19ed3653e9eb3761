package io.orchestrationplane.core.render;

import static io.orchestrationplane.core.render.Rendering.DEV;
import static io.orchestrationplane.core.render.Rendering.NAMESPACE;
import static io.orchestrationplane.core.render.Rendering.app;
import static io.orchestrationplane.core.render.Rendering.cronjob;
import static io.orchestrationplane.core.render.Rendering.find;
import static io.orchestrationplane.core.render.Rendering.job;
import static io.orchestrationplane.core.render.Rendering.list;
import static io.orchestrationplane.core.render.Rendering.only;
import static io.orchestrationplane.core.render.Rendering.plane;
import static io.orchestrationplane.core.render.Rendering.render;
import static io.orchestrationplane.core.render.Rendering.webservice;
import static io.orchestrationplane.core.render.Rendering.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.ContentHash;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class RenderingContractTest {
  private static final Renderer RENDERER = new Renderer(TypeRegistry.builtIns());

  @Nested
  class OwnershipLabels {
    @Test
    void everyRenderedResourceCarriesTheOwnershipLabels() {
      List<Resource> out = render(webservice("web").trait("ingress", Map.of("host", "shop.example.com"))
          .trait("autoscaler", Map.of("max", 3)).trait("network-policy", Map.of())
          .trait("storage", Map.of("name", "cache", "size", "1Gi", "mountPath", "/cache")).build(),
          job("migrate").build(), cronjob("report", "@daily").build(),
          Component.builder("raw", "k8s-objects").property("manifests",
              "apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n").build());

      assertThat(out).hasSize(9);
      assertThat(out).allSatisfy(r -> {
        assertThat(r.label(Ownership.MANAGED_BY_LABEL)).isEqualTo("orchestration-plane");
        assertThat(r.label(Ownership.APPLICATION_LABEL)).isEqualTo(NAMESPACE + ".shop");
        assertThat(r.label(Ownership.ENVIRONMENT_LABEL)).isEqualTo("dev");
        assertThat(Ownership.isOwnedBy(r, NAMESPACE + ".shop")).isTrue();
      });
      assertThat(out.stream().collect(Collectors.groupingBy(r -> r.label(Ownership.COMPONENT_LABEL), Collectors.counting())))
          .isEqualTo(Map.of("web", 6L, "migrate", 1L, "report", 1L, "raw", 1L));
    }

    @Test
    void applicationLabelsAreAddedWithoutOverridingTheResourcesOwn() {
      Application app = Application.builder("shop").namespace(NAMESPACE).label("team", "payments").label("tier", "web")
          .component(webservice("web").trait("labels", Map.of("labels", Map.of("tier", "frontend"))).build()).build();

      List<Resource> out = RENDERER.render(app, DEV);

      assertThat(out).allSatisfy(r -> {
        assertThat(r.label("team")).isEqualTo("payments");
        assertThat(r.label("tier")).isEqualTo("frontend");
      });
    }
  }

  @Nested
  class ContentHashAnnotation {
    private String hashOf(Resource r) {
      return r.annotation(Ownership.CONTENT_HASH_ANNOTATION);
    }

    private Map<String, String> hashes(List<Resource> out) {
      return out.stream().collect(Collectors.toMap(Resource::toString, this::hashOf));
    }

    @Test
    void isASha256OfTheResourcesContent() {
      List<Resource> out = render(webservice("web").build());

      assertThat(out).allSatisfy(r -> assertThat(hashOf(r)).matches("sha256:[0-9a-f]{64}"));
      assertThat(hashOf(out.get(0))).isNotEqualTo(hashOf(out.get(1)));
      Resource withoutHash = out.get(0).edit(t -> ((ObjectNode) t.get("metadata").get("annotations"))
          .remove(List.of(Ownership.CONTENT_HASH_ANNOTATION, Ownership.APPLIED_FIELDS_ANNOTATION)));
      assertThat(hashOf(out.get(0))).isEqualTo(ContentHash.of(withoutHash.json()));
    }

    @Test
    void isStableForEqualInput() {
      List<Resource> first = render(webservice("web").property("env", Map.of("A", "1", "B", "2")).build(), worker("w").build());
      List<Resource> second = render(webservice("web").property("env", Map.of("A", "1", "B", "2")).build(), worker("w").build());

      assertThat(second).isEqualTo(first);
      assertThat(hashes(second)).isEqualTo(hashes(first));
    }

    @Test
    void doesNotDependOnTheKeyOrderOfAManifest() {
      List<Resource> a = render(Component.builder("raw", "k8s-objects").property("manifests",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {x: '1', y: '2'}\n").build());
      List<Resource> b = render(Component.builder("raw", "k8s-objects").property("manifests",
          "data: {y: '2', x: '1'}\nmetadata: {name: s}\nkind: ConfigMap\napiVersion: v1\n").build());

      assertThat(hashOf(a.get(0))).isEqualTo(hashOf(b.get(0)));
    }

    @Test
    void changesWhenTheContentChangesAndOnlyForTheResourcesThatChanged() {
      Map<String, String> before = hashes(render(webservice("web").build(), worker("w").build()));
      Map<String, String> after = hashes(render(webservice("web").property("image", "ghcr.io/acme/web:2.0").build(),
          worker("w").build()));

      assertThat(after.get("Deployment " + NAMESPACE + "/web")).isNotEqualTo(before.get("Deployment " + NAMESPACE + "/web"));
      assertThat(after.get("Service " + NAMESPACE + "/web")).isEqualTo(before.get("Service " + NAMESPACE + "/web"));
      assertThat(after.get("Deployment " + NAMESPACE + "/w")).isEqualTo(before.get("Deployment " + NAMESPACE + "/w"));
    }

    @Test
    void aManifestsOwnHashAnnotationIsReplaced() {
      Resource plain = render(Component.builder("raw", "k8s-objects").property("manifests",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n").build()).get(0);
      Resource forged = render(Component.builder("raw", "k8s-objects").property("manifests",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s, annotations: {orchestrationplane.io/content-hash: forged}}\n")
          .build()).get(0);

      assertThat(hashOf(forged)).isEqualTo(hashOf(plain));
    }
  }

  @Nested
  class Environments {
    private final Application app = Application.builder("shop").namespace("shop")
        .component(webservice("api").property("env", Map.of("MODE", "slow", "LOG", "info")).build())
        .component(worker("mailer").build())
        .environment(Environment.builder("staging").clusters("c1").build())
        .environment(Environment.builder("prod").namespace("shop-prod").clusters("c1")
            .override("api", Map.of("replicas", 3, "image", "ghcr.io/acme/api:2.0", "env", Map.of("MODE", "fast")))
            .build())
        .build();

    @Test
    void facadeRendersEveryEnvironmentInItsNamespaceWithItsOverrides() {
      Map<String, List<Resource>> out;
      try (OrchestrationPlane plane = plane()) {
        out = plane.render(app);
      }

      assertThat(out).containsOnlyKeys("staging", "prod");
      assertThat(out.keySet()).containsExactly("staging", "prod");
      Resource staging = find(out.get("staging"), "Deployment", "api");
      Resource prod = find(out.get("prod"), "Deployment", "api");
      assertThat(staging.namespace()).isEqualTo("shop");
      assertThat(prod.namespace()).isEqualTo("shop-prod");
      assertThat(out.get("prod")).extracting(Resource::namespace).containsOnly("shop-prod");
      assertThat(staging.at("/spec/replicas").asInt()).isEqualTo(1);
      assertThat(prod.at("/spec/replicas").asInt()).isEqualTo(3);
      assertThat(staging.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("ghcr.io/acme/api:1.0");
      assertThat(prod.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("ghcr.io/acme/api:2.0");
      assertThat(prod.label(Ownership.ENVIRONMENT_LABEL)).isEqualTo("prod");
    }

    @Test
    void anOverriddenPropertyReplacesTheComponentsValueWhole() {
      Resource prod = find(RENDERER.render(app, app.environment("prod").orElseThrow()), "Deployment", "api");

      assertThat(list(prod, "/spec/template/spec/containers/0/env")).containsExactly(Map.of("name", "MODE", "value", "fast"));
    }

    @Test
    void overridesChangeTheHashOnlyWhereTheyApply() {
      Map<String, String> staging = RENDERER.render(app, app.environment("staging").orElseThrow()).stream()
          .collect(Collectors.toMap(Resource::name, r -> r.annotation(Ownership.CONTENT_HASH_ANNOTATION), (x, y) -> x));
      Map<String, String> prod = RENDERER.render(app, app.environment("prod").orElseThrow()).stream()
          .collect(Collectors.toMap(Resource::name, r -> r.annotation(Ownership.CONTENT_HASH_ANNOTATION), (x, y) -> x));

      assertThat(prod.get("api")).isNotEqualTo(staging.get("api"));
    }

    @Test
    void anApplicationWithoutEnvironmentsRendersOneDefaultEnvironmentInItsNamespace() {
      Map<String, List<Resource>> out;
      try (OrchestrationPlane plane = plane()) {
        out = plane.render(app(worker("mailer").build()));
      }

      assertThat(out).containsOnlyKeys("default");
      assertThat(only(out.get("default"), "Deployment").namespace()).isEqualTo(NAMESPACE);
      assertThat(only(out.get("default"), "Deployment").label(Ownership.ENVIRONMENT_LABEL)).isEqualTo("default");
    }
  }

  @Nested
  class RenderTimeErrors {
    private ValidationException renderFails(Component... components) {
      try (OrchestrationPlane plane = plane()) {
        Application app = app(components);
        plane.validate(app);
        return catchThrowableOfType(ValidationException.class, () -> plane.render(app));
      }
    }

    private Map<String, String> byPath(ValidationException e) {
      assertThat(e).as("a ValidationException").isNotNull();
      return e.problems().stream().collect(Collectors.toMap(Problem::path, Problem::message));
    }

    @Test
    void ingressOnAWorkerNamesTheTrait() {
      ValidationException e = renderFails(worker("mailer").trait("env", Map.of("env", Map.of("A", "b")))
          .trait("ingress", Map.of("host", "mail.example.com")).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[0].traits[1]");
      assertThat(byPath(e).get("spec.components[0].traits[1]")).contains("ingress needs a Service").contains("'mailer'");
      assertThat(e.getMessage()).contains("environment default");
    }

    @Test
    void scalerOnAJobNamesTheTrait() {
      ValidationException e = renderFails(worker("ok").build(), job("migrate").trait("scaler", Map.of("replicas", 2)).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[1].traits[0]");
      assertThat(byPath(e).get("spec.components[1].traits[0]")).contains("scaler needs a Deployment");
    }

    @Test
    void autoscalerOnACronJobNamesTheTrait() {
      ValidationException e = renderFails(cronjob("report", "@daily").trait("autoscaler", Map.of("max", 2)).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[0].traits[0]");
      assertThat(byPath(e).get("spec.components[0].traits[0]")).contains("autoscaler needs a Deployment or StatefulSet");
    }

    @Test
    void scalerAfterAnAutoscalerOfTheSameDeploymentIsRefused() {
      ValidationException e = renderFails(worker("mailer").trait("autoscaler", Map.of("max", 3))
          .trait("scaler", Map.of("replicas", 2)).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[0].traits[1]");
      assertThat(byPath(e).get("spec.components[0].traits[1]"))
          .contains("Deployment 'mailer' is scaled by a HorizontalPodAutoscaler");
    }

    @Test
    void twoVolumesWithTheSameNameNameTheSecondStorageTrait() {
      ValidationException e = renderFails(worker("db")
          .trait("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/a"))
          .trait("storage", Map.of("name", "data", "size", "2Gi", "mountPath", "/b")).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[0].traits[1]");
      assertThat(byPath(e).get("spec.components[0].traits[1]")).contains("volume 'data' is already declared");
    }

    @Test
    void containerTraitsOnAComponentWithoutContainersNameTheTrait() {
      ValidationException e = renderFails(Component.builder("raw", "k8s-objects")
          .property("manifests", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n")
          .trait("env", Map.of("env", Map.of("A", "b")))
          .trait("resources", Map.of("cpu", "1"))
          .trait("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/data")).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[0].traits[0]", "spec.components[0].traits[1]",
          "spec.components[0].traits[2]");
      assertThat(byPath(e).values()).allSatisfy(m -> assertThat(m).contains("needs a workload with containers"));
    }

    @Test
    void everyProblemOfEveryComponentIsReportedTogether() {
      ValidationException e = renderFails(worker("a").trait("ingress", Map.of("host", "a.example.com")).build(),
          job("b").trait("scaler", Map.of("replicas", 1)).build());

      assertThat(e.problems()).extracting(Problem::path)
          .containsExactly("spec.components[0].traits[0]", "spec.components[1].traits[0]");
    }

    @Test
    void twoComponentsRenderingTheSameObjectAreReported() {
      String manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n";
      ValidationException e = renderFails(
          Component.builder("one", "k8s-objects").property("manifests", manifest).build(),
          Component.builder("two", "k8s-objects").property("manifests", manifest).build());

      assertThat(byPath(e)).containsOnlyKeys("spec.components[1]");
      assertThat(byPath(e).get("spec.components[1]")).contains("'one'").contains("'two'");
    }
  }

  @Test
  void renderingIsAPureFunctionOfItsInput() {
    Function<Integer, List<String>> yaml = i -> render(webservice("web").trait("ingress", Map.of("host", "a.example.com"))
        .trait("network-policy", Map.of()).build(), worker("w").dependsOn("web").build())
        .stream().map(Resource::toYaml).toList();

    assertThat(yaml.apply(1)).isEqualTo(yaml.apply(2));
  }
}
