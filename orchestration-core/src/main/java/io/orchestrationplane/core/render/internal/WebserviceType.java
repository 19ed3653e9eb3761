package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** {@code webservice}: a long-running, replicated server reachable through a Service. */
public final class WebserviceType implements ComponentType {
  private static final PropertySchema SCHEMA = Workloads.containerSchema()
      .add(new PropertySpec("port", PropertyType.INTEGER, false, 80L, "Port the container listens on and the Service exposes", 1L, false))
      .add(new PropertySpec(Workloads.REPLICAS, PropertyType.INTEGER, false, 1L, "Number of pods", 0L, false))
      .optional("serviceType", PropertyType.STRING, "ClusterIP", "Service type: ClusterIP, NodePort or LoadBalancer")
      .build();

  @Override
  public String name() {
    return "webservice";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("apps", "Deployment"), new GroupKind("", "Service"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>(Workloads.containerProblems(p));
    Workloads.atMost(problems, p, "port", 65535);
    Workloads.atMost(problems, p, Workloads.REPLICAS, Integer.MAX_VALUE);
    String type = p.string("serviceType");
    if (!List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
      problems.add(new String[] {"serviceType", "must be ClusterIP, NodePort or LoadBalancer, got \"" + type + "\""});
    }
    return problems;
  }

  @Override
  public List<Resource> render(RenderContext ctx, Properties p) {
    int port = (int) p.integer("port", 80);
    Resource deployment = Workloads.deployment(ctx, p, port);
    ObjectNode svc = Workloads.object("v1", "Service", ctx.component().name());
    ObjectNode spec = svc.putObject("spec");
    spec.put("type", p.string("serviceType"));
    spec.set("selector", Workloads.labels(ctx.selectorLabels()));
    ObjectNode svcPort = spec.putArray("ports").addObject();
    svcPort.put("name", "http");
    svcPort.put("port", port);
    svcPort.put("targetPort", port);
    svcPort.put("protocol", "TCP");
    return List.of(deployment, Resource.of(svc));
  }
}
