package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Edits the pod templates of a component's workloads (a Pod's own metadata and spec), or says there are none. */
final class PodTemplates {
  private PodTemplates() {}

  /**
   * Runs {@code change(podMetadata, podSpec)} on every workload's pod template; throws when the
   * component renders no workload with one.
   */
  static List<Resource> edit(RenderContext ctx, String trait, List<Resource> resources,
      BiConsumer<ObjectNode, ObjectNode> change) {
    List<Resource> out = new ArrayList<>();
    boolean any = false;
    for (Resource r : resources) {
      if (Workloads.isWorkload(r)) {
        boolean[] found = new boolean[1];
        r = r.edit(t -> {
          ObjectNode spec = Workloads.podSpec(t);
          ObjectNode meta = metadata(t);
          if (spec != null && meta != null) {
            change.accept(meta, spec);
            found[0] = true;
          }
        });
        any |= found[0];
      }
      out.add(r);
    }
    if (!any) {
      throw new IllegalArgumentException(trait + " needs a workload with a pod template, and component '"
          + ctx.component().name() + "' renders none");
    }
    return out;
  }

  /** The pod template's metadata, created when absent; a Pod's own metadata. */
  private static @Nullable ObjectNode metadata(ObjectNode resource) {
    if ("Pod".equals(resource.path("kind").asString())) {
      return Workloads.child(resource, "metadata");
    }
    JsonNode template = switch (resource.path("kind").asString()) {
      case "CronJob" -> resource.path("spec").path("jobTemplate").path("spec").get("template");
      default -> resource.path("spec").get("template");
    };
    return template instanceof ObjectNode t ? Workloads.child(t, "metadata") : null;
  }

  /** Sets a label of the pod template. */
  static void label(ObjectNode podMetadata, String key, String value) {
    Workloads.child(podMetadata, "labels").put(key, value);
  }

  /** Sets an annotation of the pod template. */
  static void annotation(ObjectNode podMetadata, String key, String value) {
    Workloads.child(podMetadata, "annotations").put(key, value);
  }

  /** True when the component also carries a trait of type {@code other}. */
  static boolean hasTrait(RenderContext ctx, String other) {
    return ctx.component().traits().stream().anyMatch(t -> t.type().equals(other));
  }
}
