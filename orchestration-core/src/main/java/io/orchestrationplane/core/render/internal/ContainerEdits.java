package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/** Applies a change to every container of a component's workloads, or says there are none. */
final class ContainerEdits {
  private ContainerEdits() {}

  static List<Resource> onContainers(RenderContext ctx, String trait, List<Resource> resources,
      Consumer<ObjectNode> change) {
    List<Resource> out = new ArrayList<>();
    boolean any = false;
    for (Resource r : resources) {
      if (Workloads.isWorkload(r)) {
        boolean[] found = new boolean[1];
        r = r.edit(t -> found[0] = Workloads.forEachContainer(t, change));
        any |= found[0];
      }
      out.add(r);
    }
    if (!any) {
      throw new IllegalArgumentException(trait + " needs a workload with containers, and component '"
          + ctx.component().name() + "' renders none");
    }
    return out;
  }
}
