package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Names;
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
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code network-policy}: a NetworkPolicy that admits ingress to the component's pods only from
 * the pods of components that declare a dependency on it (and from the listed namespaces). With
 * no dependents and no namespaces, all ingress is denied.
 */
public final class NetworkPolicyTrait implements TraitType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .optional("ports", PropertyType.INTEGER_LIST, "Ports to admit (default: the ports of the component's Service; all ports when it has none)")
      .optional("allowNamespaces", PropertyType.STRING_LIST, "Namespaces whose pods may also connect (e.g. the ingress controller's)")
      .build();

  @Override
  public String name() {
    return "network-policy";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("networking.k8s.io", "NetworkPolicy"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    List<Long> ports = p.integers("ports");
    for (int i = 0; i < ports.size(); i++) {
      if (ports.get(i) < 1 || ports.get(i) > 65535) {
        problems.add(new String[] {"ports[" + i + "]", "must be a port between 1 and 65535, got " + ports.get(i)});
      }
    }
    List<String> namespaces = p.strings("allowNamespaces");
    for (int i = 0; i < namespaces.size(); i++) {
      String problem = Names.dnsLabelProblem(namespaces.get(i));
      if (problem != null) {
        problems.add(new String[] {"allowNamespaces[" + i + "]", problem});
      }
    }
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    ObjectNode np = Workloads.object("networking.k8s.io/v1", "NetworkPolicy", ctx.component().name());
    ObjectNode spec = np.putObject("spec");
    spec.putObject("podSelector").set("matchLabels", Workloads.labels(ctx.selectorLabels()));
    spec.putArray("policyTypes").add("Ingress");
    ArrayNode ingress = spec.putArray("ingress");
    List<Component> dependents = ctx.dependents();
    List<String> namespaces = p.strings("allowNamespaces");
    if (!dependents.isEmpty() || !namespaces.isEmpty()) {
      ObjectNode rule = ingress.addObject();
      ArrayNode from = rule.putArray("from");
      for (Component d : dependents) {
        from.addObject().putObject("podSelector").set("matchLabels", Workloads.labels(ctx.selectorLabels(d.name())));
      }
      for (String ns : namespaces) {
        from.addObject().putObject("namespaceSelector").putObject("matchLabels")
            .put("kubernetes.io/metadata.name", ns);
      }
      List<ObjectNode> ports = new ArrayList<>();
      p.integers("ports").forEach(port -> ports.add(port("TCP", IntNode.valueOf(port.intValue()))));
      if (ports.isEmpty()) {
        resources.stream().filter(r -> r.kind().equals("Service"))
            .forEach(s -> s.at("/spec/ports").forEach(sp -> ports.add(port(sp.path("protocol").asString("TCP"), targetPort(sp)))));
      }
      if (!ports.isEmpty()) {
        ArrayNode portList = rule.putArray("ports");
        ports.stream().distinct().forEach(portList::add);
      }
    }
    List<Resource> out = new ArrayList<>(resources);
    out.add(Resource.of(np));
    return out;
  }

  private static ObjectNode port(String protocol, JsonNode port) {
    ObjectNode pn = JsonNodeFactory.instance.objectNode();
    pn.put("protocol", protocol);
    pn.set("port", port);
    return pn;
  }

  /**
   * The pod-side port of a Service port: its targetPort, which may be a number or the name of a
   * container port (NetworkPolicy accepts both), or the port itself when targetPort is unset.
   */
  private static JsonNode targetPort(JsonNode servicePort) {
    JsonNode target = servicePort.get("targetPort");
    if (target != null && (target.isNumber() || target.isString())) {
      return target.isNumber() ? IntNode.valueOf(target.asInt()) : target;
    }
    return IntNode.valueOf(servicePort.path("port").asInt());
  }
}
