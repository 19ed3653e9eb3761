package io.orchestrationplane.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Placement;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every validation rule of issue 2, through the facade, each asserting the field path. */
class ApplicationValidatorTest {
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .cluster(InMemoryCluster.create("eu"), Map.of("tier", "prod"))
      .cluster(InMemoryCluster.create("us"), Map.of("tier", "prod"))
      .build();

  private static Component api() {
    return Component.builder("api", "webservice").property("image", "acme/api:1").build();
  }

  private List<String> problems(Application app) {
    try {
      plane.validate(app);
      return List.of();
    } catch (ValidationException e) {
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
  }

  @Test
  void aValidApplicationPasses() {
    Application app = Application.builder("shop").namespace("shop").component(api())
        .environment(Environment.builder("prod").placement(Placement.selector(Map.of("tier", "prod"))).build())
        .build();
    assertThat(plane.validate(app)).isSameAs(app);
  }

  @Test
  void unknownComponentAndTraitTypesAreNamed() {
    Application app = Application.builder("shop")
        .component(Component.builder("db", "postgres").build())
        .component(Component.builder("api", "webservice").property("image", "x").trait(Trait.of("magic")).build())
        .build();
    assertThat(problems(app)).containsExactly(
        "spec.components[0].type: unknown component type 'postgres' (known: webservice, worker, job, cronjob, k8s-objects)",
        "spec.components[1].traits[0].type: unknown trait type 'magic' (known: scaler, env, resources, labels, ingress, autoscaler, storage, network-policy, "
            + "service-account, istio, linkerd)");
  }

  @Test
  void unknownMistypedAndMissingPropertiesAreReportedAtTheirPaths() {
    Application app = Application.builder("shop")
        .component(Component.builder("api", "webservice")
            .property("port", "eighty")
            .property("colour", "red")
            .trait(Trait.of("scaler", Map.of("replicas", -1)))
            .trait(Trait.of("ingress", Map.of("host", "shop.example.com", "port", 80)))
            .build())
        .build();
    assertThat(problems(app)).containsExactlyInAnyOrder(
        "spec.components[0].properties.port: must be an integer, got \"eighty\"",
        "spec.components[0].properties.colour: unknown property 'colour' (known: image, cmd, args, env, envValueFrom, envFrom, imagePullPolicy, port, replicas, serviceType)",
        "spec.components[0].properties.image: required property 'image' is missing (Container image, e.g. ghcr.io/acme/api:1.4.2)",
        "spec.components[0].traits[0].properties.replicas: must be at least 0, got -1",
        "spec.components[0].traits[1].properties.port: unknown property 'port' (known: host, path, className, tlsSecret)");
  }

  @Test
  void duplicateNamesAreReported() {
    Application app = new Application("shop", "shop", Map.of(), List.of(api(), api()),
        List.of(Environment.builder("prod").build(), Environment.builder("prod").build()));
    assertThat(problems(app)).containsExactly(
        "spec.components[1].name: duplicate component name 'api' (also spec.components[0])",
        "spec.environments[1].name: duplicate environment name 'prod' (also spec.environments[0])");
  }

  @Test
  void dependenciesOnMissingComponentsAndSelfAreReported() {
    Application app = Application.builder("shop")
        .component(api().toBuilder().dependsOn("db", "api").build())
        .build();
    assertThat(problems(app)).containsExactly(
        "spec.components[0].dependsOn[0]: depends on 'db', which is not a component of this application (components: api)",
        "spec.components[0].dependsOn[1]: component 'api' depends on itself");
  }

  @Test
  void dependencyCyclesAreNamed() {
    Application app = Application.builder("shop")
        .component(Component.builder("a", "worker").property("image", "x").dependsOn("b").build())
        .component(Component.builder("b", "worker").property("image", "x").dependsOn("c").build())
        .component(Component.builder("c", "worker").property("image", "x").dependsOn("a").build())
        .build();
    assertThat(problems(app)).containsExactly("spec.components[0].dependsOn: dependency cycle: a -> b -> c -> a");
  }

  @Test
  void invalidKubernetesNamesAreReported() {
    Application app = Application.builder("Shop_App").namespace("shop")
        .component(Component.builder("API", "worker").property("image", "x").build())
        .environment(Environment.builder("prod").namespace("-bad").build())
        .build();
    assertThat(problems(app)).containsExactly(
        "metadata.name: 'Shop_App' is not a valid RFC 1123 name: use lower-case letters, digits and '-', starting and ending with a letter or digit",
        "spec.components[0].name: 'API' is not a valid RFC 1123 name: use lower-case letters, digits and '-', starting and ending with a letter or digit",
        "spec.environments[0].namespace: '-bad' is not a valid RFC 1123 name: use lower-case letters, digits and '-', starting and ending with a letter or digit");
  }

  @Test
  void anApplicationIdTooLongForALabelValueIsReported() {
    String longName = "a".repeat(40);
    Application app = Application.builder(longName).namespace("n".repeat(40)).component(api()).build();
    assertThat(problems(app)).singleElement().asString()
        .startsWith("metadata.name: namespace and name together ('" + "n".repeat(40) + "." + longName + "') must fit in a label value");
  }

  @Test
  void placementsThatMatchNoClusterAreReported() {
    Application app = Application.builder("shop").component(api())
        .environment(Environment.builder("mars").clusters("mars").build())
        .environment(Environment.builder("dev").placement(Placement.selector(Map.of("tier", "dev"))).build())
        .build();
    assertThat(problems(app)).containsExactly(
        "spec.environments[0].placement.clusters[0]: no cluster named 'mars' is registered (known: eu, us)",
        "spec.environments[0].placement: placement matches no cluster",
        "spec.environments[1].placement: placement matches no cluster (selector {tier=dev}; registered clusters and "
            + "their labels: eu {tier=prod}, us {tier=prod})");
  }

  @Test
  void overridesAreValidatedAgainstTheComponentType() {
    Application app = Application.builder("shop").component(api())
        .environment(Environment.builder("prod").override("api", Map.of("replicas", "three"))
            .override("ghost", Map.of("replicas", 1)).build())
        .build();
    assertThat(problems(app)).containsExactly(
        "spec.environments[0].overrides.api.replicas: must be an integer, got \"three\"",
        "spec.environments[0].overrides.ghost: overrides component 'ghost', which is not a component of this application");
  }

  @Test
  void yamlProblemsCarryLineAndColumn() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata:
          name: shop
        spec:
          components:
            - name: api
              type: webservice
              properties:
                image: acme/api:1
              traits:
                - type: ingress
                  properties:
                    host: shop.example.com
                    port: 8080
            - name: api
              type: worker
        """;
    assertThatThrownBy(() -> plane.load(yaml))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::toString)
            .containsExactly(
                "spec.components[0].traits[0].properties.port (line 15, column 13): unknown property 'port' (known: host, path, className, tlsSecret)",
                "spec.components[1].name (line 16, column 7): duplicate component name 'api' (also spec.components[0])",
                "spec.components[1].properties.image (line 16, column 7): required property 'image' is missing (Container image, e.g. ghcr.io/acme/api:1.4.2)"));
  }

  @Test
  void theExceptionMessageListsEveryProblem() {
    Application app = Application.builder("shop").component(Component.builder("db", "postgres").build())
        .component(Component.builder("x", "nope").build()).build();
    assertThatThrownBy(() -> plane.validate(app))
        .hasMessageContaining("Application 'default.shop' is invalid (2 problems)")
        .hasMessageContaining("spec.components[0].type")
        .hasMessageContaining("spec.components[1].type");
  }
}
