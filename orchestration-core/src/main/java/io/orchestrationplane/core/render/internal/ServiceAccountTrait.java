package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code service-account}: runs the component's pods as a ServiceAccount ({@code
 * serviceAccountName}), by default one the trait creates, annotated for the cloud's workload
 * identity: AWS IRSA ({@code eks.amazonaws.com/role-arn}), GKE Workload Identity ({@code
 * iam.gke.io/gcp-service-account}) and Azure Workload Identity ({@code
 * azure.workload.identity/client-id} on the ServiceAccount and the {@code
 * azure.workload.identity/use: "true"} label its webhook requires on the pods).
 */
public final class ServiceAccountTrait implements TraitType {
  static final String AWS_ROLE_ARN = "eks.amazonaws.com/role-arn";
  static final String GCP_SERVICE_ACCOUNT = "iam.gke.io/gcp-service-account";
  static final String AZURE_CLIENT_ID = "azure.workload.identity/client-id";
  static final String AZURE_TENANT_ID = "azure.workload.identity/tenant-id";
  static final String AZURE_USE = "azure.workload.identity/use";

  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern GCP_SA = Pattern.compile("[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.:]+\\.iam\\.gserviceaccount\\.com");
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final List<String> CLOUD = List.of("awsRoleArn", "gcpServiceAccount", "azureClientId", "azureTenantId");

  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .optional("name", PropertyType.STRING, "ServiceAccount name (default: the component's name)")
      .optional("create", PropertyType.BOOLEAN, true, "Create the ServiceAccount (false: use an existing one, set only serviceAccountName)")
      .optional("awsRoleArn", PropertyType.STRING, "AWS IRSA: IAM role ARN, annotation eks.amazonaws.com/role-arn")
      .optional("gcpServiceAccount", PropertyType.STRING, "GKE Workload Identity: NAME@PROJECT.iam.gserviceaccount.com, annotation iam.gke.io/gcp-service-account")
      .optional("azureClientId", PropertyType.STRING, "Azure Workload Identity: client ID, annotation azure.workload.identity/client-id; labels the pods azure.workload.identity/use: \"true\"")
      .optional("azureTenantId", PropertyType.STRING, "Azure Workload Identity: tenant ID, annotation azure.workload.identity/tenant-id")
      .optional("annotations", PropertyType.STRING_MAP, "More annotations on the ServiceAccount")
      .optional("automountToken", PropertyType.BOOLEAN, "Sets the pods' automountServiceAccountToken")
      .build();

  @Override
  public String name() {
    return "service-account";
  }

  @Override
  public Set<GroupKind> kinds() {
    return Set.of(new GroupKind("", "ServiceAccount"));
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (p.has("name")) {
      String problem = Names.dnsSubdomainProblem(p.string("name"));
      if (problem != null) {
        problems.add(new String[] {"name", problem});
      }
    }
    pattern(problems, p, "awsRoleArn", ROLE_ARN, "an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>");
    pattern(problems, p, "gcpServiceAccount", GCP_SA, "a Google service account, <name>@<project>.iam.gserviceaccount.com");
    pattern(problems, p, "azureClientId", GUID, "a client ID (a GUID)");
    pattern(problems, p, "azureTenantId", GUID, "a tenant ID (a GUID)");
    if (p.has("azureTenantId") && !p.has("azureClientId")) {
      problems.add(new String[] {"azureTenantId", "needs azureClientId: Azure Workload Identity is turned on by the client ID"});
    }
    for (Map.Entry<String, String> e : p.stringMap("annotations").entrySet()) {
      String problem = Names.labelProblem(e.getKey(), "");
      if (problem != null) {
        problems.add(new String[] {"annotations." + e.getKey(), problem.replace("label key", "annotation key")});
      }
    }
    if (!p.bool("create", true)) {
      for (String cloud : CLOUD) {
        if (p.has(cloud)) {
          problems.add(new String[] {cloud, "needs create: true: the annotation goes on the ServiceAccount this trait "
              + "creates (annotate an existing one where it is managed)"});
        }
      }
      if (!p.stringMap("annotations").isEmpty()) {
        problems.add(new String[] {"annotations", "needs create: true: annotations go on the ServiceAccount this trait creates"});
      }
    }
    return problems;
  }

  private static void pattern(List<String[]> problems, Properties p, String name, Pattern pattern, String what) {
    if (p.has(name) && !pattern.matcher(p.string(name)).matches()) {
      problems.add(new String[] {name, "must be " + what + ", got \"" + p.string(name) + "\""});
    }
  }

  @Override
  public List<Resource> apply(RenderContext ctx, Properties p, List<Resource> resources) {
    String account = p.has("name") ? p.string("name") : ctx.component().name();
    boolean azure = p.has("azureClientId");
    List<Resource> out = PodTemplates.edit(ctx, name(), resources, (meta, spec) -> {
      spec.put("serviceAccountName", account);
      if (p.has("automountToken")) {
        spec.put("automountServiceAccountToken", p.bool("automountToken", true));
      }
      if (azure) {
        PodTemplates.label(meta, AZURE_USE, "true");
      }
    });
    if (p.bool("create", true)) {
      Map<String, String> annotations = new LinkedHashMap<>(p.stringMap("annotations"));
      put(annotations, AWS_ROLE_ARN, p.string("awsRoleArn"));
      put(annotations, GCP_SERVICE_ACCOUNT, p.string("gcpServiceAccount"));
      put(annotations, AZURE_CLIENT_ID, p.string("azureClientId"));
      put(annotations, AZURE_TENANT_ID, p.string("azureTenantId"));
      ObjectNode sa = Workloads.object("v1", "ServiceAccount", account);
      if (!annotations.isEmpty()) {
        ObjectNode a = ((ObjectNode) sa.get("metadata")).putObject("annotations");
        annotations.forEach(a::put);
      }
      out.add(Resource.of(sa));
    }
    return out;
  }

  private static void put(Map<String, String> annotations, String key, String value) {
    if (value != null) {
      annotations.put(key, value);
    }
  }
}
