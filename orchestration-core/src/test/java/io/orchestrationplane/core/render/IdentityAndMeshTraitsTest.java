package io.orchestrationplane.core.render;

import static io.orchestrationplane.core.render.Rendering.app;
import static io.orchestrationplane.core.render.Rendering.plane;
import static io.orchestrationplane.core.render.Rendering.webservice;
import static io.orchestrationplane.core.render.Rendering.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The service-account trait (cloud workload identity) and the istio and linkerd mesh traits. */
class IdentityAndMeshTraitsTest {
  private static final String C0T0 = "spec.components[0].traits[0].properties.";

  private static Resource only(List<Resource> rendered, String kind) {
    return rendered.stream().filter(r -> r.kind().equals(kind)).findFirst().orElseThrow();
  }

  private static List<String> problems(Component component) {
    try (OrchestrationPlane plane = plane()) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.validate(app(component)));
      assertThat(e).isNotNull();
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
  }

  @Test
  void serviceAccountCarriesEachCloudsWorkloadIdentityAndThePodsRunAsIt() {
    List<Resource> rendered = Rendering.render(webservice("api").trait(Trait.of("service-account", Map.of(
        "awsRoleArn", "arn:aws:iam::111122223333:role/shop-api",
        "gcpServiceAccount", "shop-api@acme-prod.iam.gserviceaccount.com",
        "azureClientId", "00000000-1111-2222-3333-444444444444",
        "automountToken", false))).build());

    Resource sa = only(rendered, "ServiceAccount");
    assertThat(sa.name()).isEqualTo("api");
    assertThat(sa.annotation("eks.amazonaws.com/role-arn")).isEqualTo("arn:aws:iam::111122223333:role/shop-api");
    assertThat(sa.annotation("iam.gke.io/gcp-service-account")).isEqualTo("shop-api@acme-prod.iam.gserviceaccount.com");
    assertThat(sa.annotation("azure.workload.identity/client-id")).isEqualTo("00000000-1111-2222-3333-444444444444");
    JsonNode template = only(rendered, "Deployment").json().at("/spec/template");
    assertThat(template.at("/spec/serviceAccountName").asString()).isEqualTo("api");
    assertThat(template.at("/spec/automountServiceAccountToken").asBoolean()).isFalse();
    assertThat(template.at("/metadata/labels/azure.workload.identity~1use").asString()).isEqualTo("true");
    assertThat(template.at("/metadata/labels/app.kubernetes.io~1name").asString()).isEqualTo("api");
  }

  @Test
  void anExistingServiceAccountIsOnlyNamedAndNoAzureLabelWithoutAzure() {
    List<Resource> rendered = Rendering.render(worker("w").trait(Trait.of("service-account",
        Map.of("name", "shared-reader", "create", false))).build());

    assertThat(rendered).noneMatch(r -> r.kind().equals("ServiceAccount"));
    JsonNode template = only(rendered, "Deployment").json().at("/spec/template");
    assertThat(template.at("/spec/serviceAccountName").asString()).isEqualTo("shared-reader");
    assertThat(template.at("/metadata/labels").has("azure.workload.identity/use")).isFalse();
  }

  @Test
  void identityMistakesAreReportedWithTheirPaths() {
    assertThat(problems(webservice("api").trait(Trait.of("service-account", Map.of(
        "awsRoleArn", "arn:aws:iam::12:role/x",
        "gcpServiceAccount", "shop-api@acme",
        "azureTenantId", "tenant",
        "create", false))).build())).containsExactlyInAnyOrder(
        C0T0 + "awsRoleArn: must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>, got \"arn:aws:iam::12:role/x\"",
        C0T0 + "gcpServiceAccount: must be a Google service account, <name>@<project>.iam.gserviceaccount.com, got \"shop-api@acme\"",
        C0T0 + "azureTenantId: must be a tenant ID (a GUID), got \"tenant\"",
        C0T0 + "azureTenantId: needs azureClientId: Azure Workload Identity is turned on by the client ID",
        C0T0 + "awsRoleArn: needs create: true: the annotation goes on the ServiceAccount this trait creates (annotate an existing one where it is managed)",
        C0T0 + "gcpServiceAccount: needs create: true: the annotation goes on the ServiceAccount this trait creates (annotate an existing one where it is managed)",
        C0T0 + "azureTenantId: needs create: true: the annotation goes on the ServiceAccount this trait creates (annotate an existing one where it is managed)");
  }

  @Test
  void istioInjectsThePodsSetsTheirMtlsAndTheServicesTrafficPolicy() {
    List<Resource> rendered = Rendering.render(webservice("api").trait(Trait.of("istio", Map.of(
        "mtls", "STRICT",
        "trafficPolicy", Map.of("loadBalancer", Map.of("simple", "LEAST_REQUEST"),
            "tls", Map.of("mode", "ISTIO_MUTUAL"))))).build());

    JsonNode template = only(rendered, "Deployment").json().at("/spec/template");
    assertThat(template.at("/metadata/labels/sidecar.istio.io~1inject").asString()).isEqualTo("true");
    Resource pa = only(rendered, "PeerAuthentication");
    assertThat(pa.apiVersion()).isEqualTo("security.istio.io/v1");
    assertThat(pa.json().get("spec")).isEqualTo(Json.readJson("""
        {"selector": {"matchLabels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "shop"}},
         "mtls": {"mode": "STRICT"}}
        """));
    Resource dr = only(rendered, "DestinationRule");
    assertThat(dr.apiVersion()).isEqualTo("networking.istio.io/v1");
    assertThat(dr.json().get("spec")).isEqualTo(Json.readJson("""
        {"host": "api", "trafficPolicy": {"loadBalancer": {"simple": "LEAST_REQUEST"}, "tls": {"mode": "ISTIO_MUTUAL"}}}
        """));
  }

  @Test
  void linkerdAnnotatesThePodTemplate() {
    List<Resource> rendered = Rendering.render(worker("w").trait(Trait.of("linkerd")).build());
    assertThat(only(rendered, "Deployment").json().at("/spec/template/metadata/annotations/linkerd.io~1inject").asString())
        .isEqualTo("enabled");
  }

  @Test
  void meshMistakesAreReportedWithTheirPaths() {
    assertThat(problems(webservice("api").trait(Trait.of("istio", Map.of("mtls", "strict",
        "trafficPolicy", Map.of("loadBalancer", Map.of("simple", "FASTEST"), "retries", 3)))).build()))
        .containsExactlyInAnyOrder(
            C0T0 + "mtls: must be STRICT, PERMISSIVE or DISABLE, got \"strict\"",
            C0T0 + "trafficPolicy.retries: unknown field 'retries' of an Istio TrafficPolicy (known: connectionPool, "
                + "loadBalancer, outlierDetection, portLevelSettings, proxyProtocol, retryBudget, tls, tunnel)",
            C0T0 + "trafficPolicy.loadBalancer.simple: must be one of UNSPECIFIED, RANDOM, PASSTHROUGH, ROUND_ROBIN, "
                + "LEAST_REQUEST, LEAST_CONN, got \"FASTEST\"");
    assertThat(problems(worker("w").trait(Trait.of("linkerd", Map.of("inject", "true"))).build()))
        .containsExactly(C0T0 + "inject: must be enabled, disabled or ingress, got \"true\"");
  }

  @Test
  void aTrafficPolicyWithoutAServiceAndTwoMeshesAreRefusedNamingTheTrait() {
    try (OrchestrationPlane plane = plane()) {
      Application noService = app(worker("w").trait(Trait.of("istio", Map.of("trafficPolicy",
          Map.of("loadBalancer", Map.of("simple", "RANDOM"))))).build());
      assertThat(catchThrowableOfType(ValidationException.class, () -> plane.render(noService)).getMessage())
          .contains("spec.components[0].traits[0]").contains("renders none");
      Application both = app(worker("w").trait(Trait.of("istio")).trait(Trait.of("linkerd")).build());
      assertThat(catchThrowableOfType(ValidationException.class, () -> plane.render(both)).getMessage())
          .contains("its pods can be in one mesh only");
    }
  }

  @Test
  void theCatalogueOrdersMeshKindsAroundTheWorkloadsAndThePlaneAppliesThem() {
    KindCatalog kinds = KindCatalog.defaults();
    GroupKind deployment = new GroupKind("apps", "Deployment");
    assertThat(kinds.applyRank(new GroupKind("security.istio.io", "PeerAuthentication"))).isLessThan(kinds.applyRank(deployment));
    assertThat(kinds.applyRank(new GroupKind("networking.istio.io", "DestinationRule")))
        .isEqualTo(kinds.applyRank(new GroupKind("", "Service")));
    assertThat(kinds.isClusterScoped(new GroupKind("networking.istio.io", "DestinationRule"))).isFalse();

    InMemoryCluster cluster = InMemoryCluster.create("c1");
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).logging(false).build()) {
      // Istio's kinds are not watched or searched on every cluster: a cluster without Istio serves neither.
      assertThat(plane.kinds().watched()).doesNotContain(new GroupKind("networking.istio.io", "DestinationRule"));
      Application app = app(webservice("api").trait(Trait.of("service-account"))
          .trait(Trait.of("istio", Map.of("mtls", "PERMISSIVE", "trafficPolicy", Map.of("tls", Map.of("mode", "ISTIO_MUTUAL")))))
          .build());
      Plan plan = plane.plan(app);
      assertThat(plan.changes()).extracting(c -> c.key().kind()).containsExactly(
          "ServiceAccount", "PeerAuthentication", "Service", "DestinationRule", "Deployment");
      assertThat(plane.apply(plan).succeeded()).isTrue();
      assertThat(plane.plan(app).changes()).extracting(Change::type).containsOnly(Change.Type.UNCHANGED);
    }
  }
}
