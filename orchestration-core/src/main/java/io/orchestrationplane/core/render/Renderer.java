package io.orchestrationplane.core.render;

import io.orchestrationplane.core.ContentHash;
import io.orchestrationplane.core.Ownership;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.spi.ComponentType;
import io.orchestrationplane.core.spi.TraitType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a validated application into the resources of one environment: the environment's
 * overrides are merged over each component's properties (an overridden property replaces the
 * component's value whole), defaults are filled in, the component type renders, then each trait
 * in order. Every resource gets the environment's namespace (unless cluster-scoped or set), the
 * ownership labels and the content-hash annotation.
 */
public final class Renderer {
  private final TypeRegistry types;

  public Renderer(TypeRegistry types) {
    this.types = Objects.requireNonNull(types, "types");
  }

  /** A component as an environment sees it: its properties with the environment's overrides merged. */
  public static Component effective(Component component, Environment environment) {
    Map<String, Object> overrides = environment.overridesFor(component.name());
    if (overrides.isEmpty()) {
      return component;
    }
    Map<String, Object> merged = new LinkedHashMap<>(component.properties());
    merged.putAll(overrides);
    return new Component(component.name(), component.type(), merged, component.traits(), component.dependsOn());
  }

  /** The namespace an environment's resources go to. */
  public static String namespaceOf(Application app, Environment environment) {
    return environment.namespace() == null ? app.namespace() : environment.namespace();
  }

  /**
   * The resources of one environment, in component order. Throws {@link ValidationException}
   * when a type cannot render (a trait that needs a Service on a component without one, say) or
   * two components render the same object.
   */
  public List<Resource> render(Application app, Environment environment) {
    String namespace = namespaceOf(app, environment);
    List<Resource> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, String> renderedBy = new LinkedHashMap<>();
    for (int i = 0; i < app.components().size(); i++) {
      Component c = effective(app.components().get(i), environment);
      String path = "spec.components[" + i + "]";
      ComponentType type = types.component(c.type()).orElseThrow(() ->
          new ValidationException("Application '" + app.id() + "'",
              List.of(Problem.at(path + ".type", "unknown component type '" + c.type() + "'"))));
      RenderContext ctx = new RenderContext(app, environment, c, namespace);
      List<Resource> resources;
      try {
        resources = type.render(ctx, type.schema().resolve(c.properties()));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.at(path + ".properties", c.type() + " cannot render: " + e.getMessage()));
        continue;
      }
      for (int j = 0; j < c.traits().size(); j++) {
        Trait t = c.traits().get(j);
        String tp = path + ".traits[" + j + "]";
        TraitType trait = types.trait(t.type()).orElse(null);
        if (trait == null) {
          problems.add(Problem.at(tp + ".type", "unknown trait type '" + t.type() + "'"));
          continue;
        }
        try {
          resources = List.copyOf(trait.apply(ctx, trait.schema().resolve(t.properties()), resources));
        } catch (IllegalArgumentException e) {
          problems.add(Problem.at(tp, e.getMessage()));
        }
      }
      for (Resource r : resources) {
        Resource done = finish(r, app, environment, c, namespace);
        String key = done.key("").toString();
        String previous = renderedBy.putIfAbsent(key, c.name());
        if (previous != null) {
          problems.add(Problem.at(path, done + " is rendered by both component '" + previous
              + "' and component '" + c.name() + "'"));
          continue;
        }
        out.add(done);
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("Application '" + app.id() + "' (environment " + environment.name() + ")", problems);
    }
    return out;
  }

  private Resource finish(Resource r, Application app, Environment env, Component c, String namespace) {
    boolean clusterScoped = types.kinds().isClusterScoped(r.kind());
    Resource placed = r.edit(tree -> {
      ObjectNode metadata = (ObjectNode) tree.get("metadata");
      if (clusterScoped) {
        metadata.remove("namespace");
      } else if (!metadata.hasNonNull("namespace")) {
        metadata.put("namespace", namespace);
      }
      ObjectNode labels = Resource.metadataObject(tree, "labels");
      app.labels().forEach((k, v) -> {
        if (!labels.has(k)) {
          labels.put(k, v);
        }
      });
      labels.put(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER);
      labels.put(Ownership.APPLICATION_LABEL, app.id());
      labels.put(Ownership.COMPONENT_LABEL, c.name());
      labels.put(Ownership.ENVIRONMENT_LABEL, env.name());
      ObjectNode annotations = Resource.metadataObject(tree, "annotations");
      annotations.remove(Ownership.CONTENT_HASH_ANNOTATION);
    });
    String hash = ContentHash.of(placed.json());
    return placed.edit(tree -> Resource.metadataObject(tree, "annotations").put(Ownership.CONTENT_HASH_ANNOTATION, hash));
  }
}
