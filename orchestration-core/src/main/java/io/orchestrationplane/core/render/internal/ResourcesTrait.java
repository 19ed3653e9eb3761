package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** {@code resources}: CPU and memory requests and limits for every container of the component. */
public final class ResourcesTrait implements TraitType {
  // Kubernetes quantity syntax: a decimal number with an optional binary or decimal suffix.
  private static final Pattern QUANTITY = Pattern.compile("^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$");
  private static final List<String> FIELDS = List.of("cpu", "memory", "limitCpu", "limitMemory");
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .optional("cpu", PropertyType.STRING, "CPU request, e.g. 250m")
      .optional("memory", PropertyType.STRING, "Memory request, e.g. 256Mi")
      .optional("limitCpu", PropertyType.STRING, "CPU limit, e.g. 1")
      .optional("limitMemory", PropertyType.STRING, "Memory limit, e.g. 512Mi")
      .build();

  @Override
  public String name() {
    return "resources";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    for (String f : FIELDS) {
      if (p.has(f) && !isQuantity(p.string(f))) {
        problems.add(new String[] {f, "must be a Kubernetes quantity such as 250m, 1 or 512Mi, got \"" + p.string(f) + "\""});
      }
    }
    if (FIELDS.stream().noneMatch(p::has)) {
      problems.add(new String[] {"cpu", "set at least one of " + String.join(", ", FIELDS)});
    }
    return problems;
  }

  /** True for a Kubernetes quantity: a decimal number with an optional binary or decimal suffix. */
  static boolean isQuantity(@Nullable String value) {
    return QUANTITY.matcher(value).matches();
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    return ContainerEdits.onContainers(ctx, name(), resources, c -> {
      ObjectNode res = Workloads.child(c, "resources");
      set(res, "requests", "cpu", p.string("cpu"));
      set(res, "requests", "memory", p.string("memory"));
      set(res, "limits", "cpu", p.string("limitCpu"));
      set(res, "limits", "memory", p.string("limitMemory"));
    });
  }

  private static void set(ObjectNode res, String group, String key, @Nullable String value) {
    if (value != null) {
      ObjectNode g = Workloads.child(res, group);
      g.put(key, value);
    }
  }
}
