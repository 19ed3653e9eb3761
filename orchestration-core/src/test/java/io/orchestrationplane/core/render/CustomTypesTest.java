package io.orchestrationplane.core.render;

import static io.orchestrationplane.core.render.Rendering.DEV;
import static io.orchestrationplane.core.render.Rendering.NAMESPACE;
import static io.orchestrationplane.core.render.Rendering.app;
import static io.orchestrationplane.core.render.Rendering.kinds;
import static io.orchestrationplane.core.render.Rendering.only;
import static io.orchestrationplane.core.render.Rendering.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** User-written types registered through {@link TypeRegistry#builder()} render and validate like built-ins. */
class CustomTypesTest {

  /** {@code config-file}: one ConfigMap holding a file. */
  static final class ConfigFileType implements ComponentType {
    private final String name;

    ConfigFileType() {
      this("config-file");
    }

    ConfigFileType(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder()
          .required("content", PropertyType.STRING, "File content")
          .optional("fileName", PropertyType.STRING, "config.txt", "Key of the file in the ConfigMap")
          .build();
    }

    @Override
    public List<String[]> check(Properties p) {
      return p.string("fileName").contains("/")
          ? List.<String[]>of(new String[] {"fileName", "must not contain '/'"})
          : List.of();
    }

    @Override
    public List<Resource> render(RenderContext ctx, Properties p) {
      ObjectNode cm = Json.object();
      cm.put("apiVersion", "v1");
      cm.put("kind", "ConfigMap");
      cm.putObject("metadata").put("name", ctx.component().name());
      cm.putObject("data").put(p.string("fileName"), p.string("content"));
      return List.of(Resource.of(cm));
    }
  }

  /** {@code owner}: annotates every resource with the owning team. */
  static final class OwnerTrait implements TraitType {
    @Override
    public String name() {
      return "owner";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder().required("team", PropertyType.STRING, "Owning team").build();
    }

    @Override
    public List<String[]> check(Properties p) {
      return p.string("team").isBlank() ? List.<String[]>of(new String[] {"team", "must not be blank"}) : List.of();
    }

    @Override
    public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
      List<Resource> out = new ArrayList<>();
      resources.forEach(r -> out.add(r.withAnnotation("example.com/team", p.string("team"))));
      return out;
    }
  }

  private final TypeRegistry types = TypeRegistry.builder().component(new ConfigFileType()).trait(new OwnerTrait()).build();

  private OrchestrationPlane plane() {
    return OrchestrationPlane.builder().cluster(InMemoryCluster.create("c1"))
        .types(TypeRegistry.builder().component(new ConfigFileType()).trait(new OwnerTrait())).build();
  }

  private static Component configFile(Map<String, ?> properties) {
    return Component.builder("settings", "config-file").properties(properties).trait("owner", Map.of("team", "payments")).build();
  }

  @Test
  void aRegisteredCustomTypeRendersWithDefaultsTraitsAndOwnership() {
    List<Resource> out = new Renderer(types).render(app(configFile(Map.of("content", "mode=fast"))), DEV);

    Resource cm = only(out, "ConfigMap");
    assertThat(cm.name()).isEqualTo("settings");
    assertThat(cm.namespace()).isEqualTo(NAMESPACE);
    assertThat(cm.at("/data/config.txt").asString()).isEqualTo("mode=fast");
    assertThat(cm.annotation("example.com/team")).isEqualTo("payments");
    assertThat(cm.label(Ownership.MANAGED_BY_LABEL)).isEqualTo(Ownership.MANAGER);
    assertThat(cm.label(Ownership.COMPONENT_LABEL)).isEqualTo("settings");
    assertThat(cm.annotation(Ownership.CONTENT_HASH_ANNOTATION)).startsWith("sha256:");
  }

  @Test
  void aCustomTraitAppliesToBuiltInComponentsToo() {
    List<Resource> out = new Renderer(types).render(app(worker("mailer").trait("owner", Map.of("team", "mail")).build()), DEV);

    assertThat(only(out, "Deployment").annotation("example.com/team")).isEqualTo("mail");
  }

  @Test
  void theFacadeRendersAndValidatesCustomTypes() {
    try (OrchestrationPlane plane = plane()) {
      Map<String, List<Resource>> out = plane.render(app(configFile(Map.of("content", "x", "fileName", "app.ini"))));
      assertThat(only(out.get("default"), "ConfigMap").at("/data/app.ini").asString()).isEqualTo("x");

      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.validate(app(
          Component.builder("settings", "config-file").property("fileName", "a/b").property("colour", "red")
              .trait("owner", Map.of()).build(),
          Component.builder("more", "config-file").property("content", "x").property("fileName", "a/b")
              .trait("owner", Map.of("team", " ")).build())));
      assertThat(e.problems()).extracting(Problem::path).containsExactly(
          "spec.components[0].properties.colour",
          "spec.components[0].properties.content",
          "spec.components[0].traits[0].properties.team",
          "spec.components[1].properties.fileName",
          "spec.components[1].traits[0].properties.team");
      assertThat(e.problems()).extracting(Problem::message).containsExactly(
          "unknown property 'colour' (known: content, fileName)",
          "required property 'content' is missing (File content)",
          "required property 'team' is missing (Owning team)",
          "must not contain '/'",
          "must not be blank");
    }
  }

  @Test
  void facadeBuilderRegistersTypesOneByOne() {
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("c1"))
        .componentType(new ConfigFileType()).traitType(new OwnerTrait()).build()) {
      Map<String, List<Resource>> out = plane.render(app(configFile(Map.of("content", "x")), worker("w").build()));

      assertThat(kinds(out.get("default"))).containsExactly("ConfigMap", "Deployment");
    }
  }

  @Test
  void registeringABuiltInsNameReplacesIt() {
    TypeRegistry replaced = TypeRegistry.builder().component(new ConfigFileType("worker")).build();

    List<Resource> out = new Renderer(replaced).render(app(Component.builder("w", "worker").property("content", "x").build()), DEV);

    assertThat(kinds(out)).containsExactly("ConfigMap");
    assertThat(replaced.componentTypes()).hasSize(5);
  }

  @Test
  void customClusterScopedKindsDeclaredInTheKindTableGetNoNamespace() {
    String manifests = """
        apiVersion: example.com/v1
        kind: Tenant
        metadata: {name: acme, namespace: ignored}
        ---
        apiVersion: example.com/v1
        kind: Quota
        metadata: {name: acme}
        """;
    Application app = app(Component.builder("crs", "k8s-objects").property("manifests", manifests).build());
    KindCatalog withTenant = KindCatalog.builder().clusterScoped(new GroupKind("example.com", "Tenant")).build();

    assertThat(new Renderer(TypeRegistry.builtIns(), withTenant).render(app, DEV)).extracting(Resource::toString)
        .containsExactly("Tenant acme", "Quota " + NAMESPACE + "/acme");
    assertThat(new Renderer(TypeRegistry.builtIns()).render(app, DEV)).extracting(Resource::toString)
        .containsExactly("Tenant ignored/acme", "Quota " + NAMESPACE + "/acme");
  }

  @Test
  void anEmptyRegistryKnowsNoBuiltIns() {
    TypeRegistry none = TypeRegistry.empty().component(new ConfigFileType()).build();

    assertThat(none.component("webservice")).isEmpty();
    assertThat(none.traitTypes()).isEmpty();
    Application app = app(worker("w").build());
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> new Renderer(none).render(app, DEV));
    assertThat(e.problems()).extracting(Problem::path).containsExactly("spec.components[0].type");
  }

  @Test
  void aTypeNeedsAName() {
    assertThatThrownBy(() -> TypeRegistry.builder().component(new ConfigFileType(" "))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-blank name");
  }

  @Test
  void anOpenSchemaPassesUndeclaredPropertiesThrough() {
    PropertySchema open = PropertySchema.builder().optional("size", PropertyType.INTEGER, 1, "Size").open().build();

    assertThat(open.check(Map.of("size", 2L, "colour", "red"))).isEmpty();
    assertThat(open.resolve(Map.of("colour", "red")).values()).containsEntry("size", 1L).containsEntry("colour", "red");
    assertThat(open.check(Map.of("size", "big"))).extracting(p -> p[0]).containsExactly("size");
  }

  @Test
  void schemasRejectInconsistentDeclarations() {
    assertThatThrownBy(() -> new PropertySpec("port", PropertyType.INTEGER, true, 80L, "Port", null, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'port' is required, so it cannot have a default");
    assertThatThrownBy(() -> PropertySchema.builder().optional("port", PropertyType.INTEGER, "80", "Port"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default of property 'port' is not an integer");
    assertThatThrownBy(() -> PropertySchema.builder().optional("a", PropertyType.STRING, "A").optional("a", PropertyType.STRING, "A"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("property 'a' is declared twice");
  }

  @Test
  void builtInsAreListedInRegistrationOrder() {
    TypeRegistry builtIns = TypeRegistry.builtIns();

    assertThat(builtIns.componentTypes()).extracting(ComponentType::name)
        .containsExactly("webservice", "worker", "job", "cronjob", "k8s-objects");
    assertThat(builtIns.traitTypes()).extracting(TraitType::name)
        .containsExactly("scaler", "env", "resources", "labels", "ingress", "autoscaler", "storage", "network-policy",
            "service-account", "istio", "linkerd");
    assertThat(types.componentTypes()).extracting(ComponentType::name).endsWith("config-file");
  }
}
