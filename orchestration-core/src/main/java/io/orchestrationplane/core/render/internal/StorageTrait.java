package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code storage}: a PersistentVolumeClaim named {@code <component>-<name>}, mounted at
 * {@code mountPath} in every container. A component may carry several.
 */
public final class StorageTrait implements TraitType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .required("name", PropertyType.STRING, "Volume name, unique within the component")
      .required("size", PropertyType.STRING, "Requested size, e.g. 10Gi")
      .required("mountPath", PropertyType.STRING, "Where containers see the volume, e.g. /data")
      .optional("storageClass", PropertyType.STRING, "StorageClass name (cluster default when unset)")
      .optional("accessMode", PropertyType.STRING, "ReadWriteOnce", "ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod")
      .build();

  @Override
  public String name() {
    return "storage";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("", "PersistentVolumeClaim"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public boolean allowsMultiple() {
    return true;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (!List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod").contains(p.string("accessMode"))) {
      problems.add(new String[] {"accessMode", "must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod, got \"" + p.string("accessMode") + "\""});
    }
    if (p.has("size") && !ResourcesTrait.isQuantity(p.string("size"))) {
      problems.add(new String[] {"size", "must be a Kubernetes quantity such as 10Gi or 500M, got \"" + p.string("size") + "\""});
    }
    if (p.has("mountPath") && !p.string("mountPath").startsWith("/")) {
      problems.add(new String[] {"mountPath", "must be an absolute path, got \"" + p.string("mountPath") + "\""});
    }
    if (p.has("name")) {
      String problem = io.orchestrationplane.core.model.Names.dnsLabelProblem(p.string("name"));
      if (problem != null) {
        problems.add(new String[] {"name", problem});
      }
    }
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    String claim = ctx.component().name() + "-" + p.string("name");
    for (Resource r : resources) {
      ObjectNode podSpec = Workloads.isWorkload(r) ? Workloads.podSpec(r.toJson()) : null;
      boolean taken = false;
      for (JsonNode volume : podSpec == null ? List.<JsonNode>of() : podSpec.path("volumes")) {
        taken |= p.string("name").equals(volume.path("name").asString());
      }
      if (taken) {
        throw new IllegalArgumentException("volume '" + p.string("name") + "' is already declared on " + r
            + ": give each storage trait of component '" + ctx.component().name() + "' its own name");
      }
    }
    List<Resource> out = new ArrayList<>(ContainerEdits.onContainers(ctx, name(), resources, c -> {
      JsonNode mounts = c.get("volumeMounts");
      ArrayNode list = mounts instanceof ArrayNode a ? a : c.putArray("volumeMounts");
      ObjectNode mount = list.addObject();
      mount.put("name", p.string("name"));
      mount.put("mountPath", p.string("mountPath"));
    }));
    for (int i = 0; i < out.size(); i++) {
      Resource r = out.get(i);
      if (Workloads.isWorkload(r)) {
        out.set(i, r.edit(t -> {
          ObjectNode podSpec = Workloads.podSpec(t);
          JsonNode volumes = podSpec.get("volumes");
          ArrayNode list = volumes instanceof ArrayNode a ? a : podSpec.putArray("volumes");
          ObjectNode volume = list.addObject();
          volume.put("name", p.string("name"));
          volume.putObject("persistentVolumeClaim").put("claimName", claim);
        }));
      }
    }
    ObjectNode pvc = Workloads.object("v1", "PersistentVolumeClaim", claim);
    ObjectNode spec = pvc.putObject("spec");
    spec.putArray("accessModes").add(p.string("accessMode"));
    if (p.has("storageClass")) {
      spec.put("storageClassName", p.string("storageClass"));
    }
    spec.putObject("resources").putObject("requests").put("storage", p.string("size"));
    out.add(Resource.of(pvc));
    return out;
  }
}
