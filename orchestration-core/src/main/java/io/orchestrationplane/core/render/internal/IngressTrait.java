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
import tools.jackson.databind.node.ObjectNode;

/** {@code ingress}: an Ingress routing a host and path to the component's Service. */
public final class IngressTrait implements TraitType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .required("host", PropertyType.STRING, "Host name, e.g. shop.example.com")
      .optional("path", PropertyType.STRING, "/", "Path prefix")
      .optional("className", PropertyType.STRING, "IngressClass name")
      .optional("tlsSecret", PropertyType.STRING, "Secret holding the TLS certificate for the host")
      .build();

  @Override
  public String name() {
    return "ingress";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("networking.k8s.io", "Ingress"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    String host = p.string("host");
    if (host != null && !host.matches("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")) {
      problems.add(new String[] {"host", "must be a lower-case DNS name such as shop.example.com, got \"" + host + "\""});
    }
    if (!p.string("path").startsWith("/")) {
      problems.add(new String[] {"path", "must start with /, got \"" + p.string("path") + "\""});
    }
    return problems;
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    Resource service = resources.stream().filter(r -> r.kind().equals("Service")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("ingress needs a Service, and component '"
            + ctx.component().name() + "' renders none (use type webservice)"));
    int port = service.at("/spec/ports/0/port").asInt(80);
    ObjectNode ing = Workloads.object("networking.k8s.io/v1", "Ingress", ctx.component().name());
    ObjectNode spec = ing.putObject("spec");
    if (p.has("className")) {
      spec.put("ingressClassName", p.string("className"));
    }
    if (p.has("tlsSecret")) {
      ObjectNode tls = spec.putArray("tls").addObject();
      tls.putArray("hosts").add(p.string("host"));
      tls.put("secretName", p.string("tlsSecret"));
    }
    ObjectNode rule = spec.putArray("rules").addObject();
    rule.put("host", p.string("host"));
    ObjectNode path = rule.putObject("http").putArray("paths").addObject();
    path.put("path", p.string("path"));
    path.put("pathType", "Prefix");
    ObjectNode backend = path.putObject("backend").putObject("service");
    backend.put("name", service.name());
    backend.putObject("port").put("number", port);
    List<Resource> out = new ArrayList<>(resources);
    out.add(Resource.of(ing));
    return out;
  }
}
