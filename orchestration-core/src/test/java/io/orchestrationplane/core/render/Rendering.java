package io.orchestrationplane.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/** Builds small applications and renders them through the public API, for the render tests. */
final class Rendering {
  static final String APP = "shop";
  static final String NAMESPACE = "shop-ns";
  static final Environment DEV = Environment.builder("dev").build();

  private Rendering() {}

  static Application app(Component... components) {
    Application.Builder b = Application.builder(APP).namespace(NAMESPACE);
    for (Component c : components) {
      b.component(c);
    }
    return b.build();
  }

  /** Validates like the facade does, then renders the {@code dev} environment with the built-ins. */
  static List<Resource> render(Component... components) {
    Application app = app(components);
    try (OrchestrationPlane plane = plane()) {
      plane.validate(app);
    }
    return new Renderer(TypeRegistry.builtIns()).render(app, DEV);
  }

  static OrchestrationPlane plane() {
    return OrchestrationPlane.builder().cluster(InMemoryCluster.create("c1")).build();
  }

  static Component.Builder webservice(String name) {
    return Component.builder(name, "webservice").property("image", "ghcr.io/acme/" + name + ":1.0");
  }

  static Component.Builder worker(String name) {
    return Component.builder(name, "worker").property("image", "ghcr.io/acme/" + name + ":1.0");
  }

  static Component.Builder job(String name) {
    return Component.builder(name, "job").property("image", "ghcr.io/acme/" + name + ":1.0");
  }

  static Component.Builder cronjob(String name, String schedule) {
    return Component.builder(name, "cronjob").property("image", "ghcr.io/acme/" + name + ":1.0")
        .property("schedule", schedule);
  }

  /** The one resource of that kind; fails when there are none or several. */
  static Resource only(List<Resource> resources, String kind) {
    List<Resource> matches = resources.stream().filter(r -> r.kind().equals(kind)).toList();
    assertThat(matches).as("resources of kind %s in %s", kind, resources).hasSize(1);
    return matches.get(0);
  }

  /** The resource of that kind and name; fails when there is none. */
  static Resource find(List<Resource> resources, String kind, String name) {
    List<Resource> matches = resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).toList();
    assertThat(matches).as("%s %s in %s", kind, name, resources).hasSize(1);
    return matches.get(0);
  }

  static List<String> kinds(List<Resource> resources) {
    return resources.stream().map(Resource::kind).toList();
  }

  /** The selector labels every built-in workload of component {@code name} carries. */
  static Map<String, String> selector(String name) {
    return Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/instance", APP);
  }

  /** The object at a JSON pointer as plain Java maps, lists, strings and numbers, for AssertJ. */
  static Map<String, Object> tree(Resource r, String pointer) {
    return Json.JSON.convertValue(r.at(pointer), new TypeReference<Map<String, Object>>() {});
  }

  /** The list at a JSON pointer as plain Java values. */
  static List<Object> list(Resource r, String pointer) {
    return Json.JSON.convertValue(r.at(pointer), new TypeReference<List<Object>>() {});
  }
}
