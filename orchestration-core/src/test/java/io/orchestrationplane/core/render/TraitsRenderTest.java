package io.orchestrationplane.core.render;

import static io.orchestrationplane.core.render.Rendering.NAMESPACE;
import static io.orchestrationplane.core.render.Rendering.cronjob;
import static io.orchestrationplane.core.render.Rendering.job;
import static io.orchestrationplane.core.render.Rendering.kinds;
import static io.orchestrationplane.core.render.Rendering.list;
import static io.orchestrationplane.core.render.Rendering.only;
import static io.orchestrationplane.core.render.Rendering.render;
import static io.orchestrationplane.core.render.Rendering.selector;
import static io.orchestrationplane.core.render.Rendering.tree;
import static io.orchestrationplane.core.render.Rendering.webservice;
import static io.orchestrationplane.core.render.Rendering.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TraitsRenderTest {

  @Nested
  class Scaler {
    @Test
    void setsReplicasOverTheComponentsOwnValue() {
      Resource d = only(render(webservice("api").property("replicas", 2)
          .trait("scaler", Map.of("replicas", 5)).build()), "Deployment");

      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(5);
    }

    @Test
    void scalesADeploymentGivenAsARawManifest() {
      Resource d = only(render(Component.builder("raw", "k8s-objects")
          .property("manifests", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: legacy}\nspec: {replicas: 1}\n")
          .trait("scaler", Map.of("replicas", 3)).build()), "Deployment");

      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3);
    }
  }

  @Nested
  class Env {
    @Test
    void addsVariablesAfterTheComponentsOwnAndReplacesThoseWithTheSameName() {
      Map<String, String> own = new LinkedHashMap<>();
      own.put("MODE", "slow");
      own.put("LOG", "info");
      Map<String, String> added = new LinkedHashMap<>();
      added.put("MODE", "fast");
      added.put("REGION", "eu");

      Resource d = only(render(worker("mailer").property("env", own).trait("env", Map.of("env", added)).build()),
          "Deployment");

      assertThat(list(d, "/spec/template/spec/containers/0/env")).containsExactly(
          Map.of("name", "MODE", "value", "fast"),
          Map.of("name", "LOG", "value", "info"),
          Map.of("name", "REGION", "value", "eu"));
    }

    @Test
    void aValueReplacesAValueFromOfTheSameName() {
      Resource d = only(render(Component.builder("raw", "k8s-objects").property("manifests", """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: x}
          spec:
            template:
              spec:
                containers:
                  - name: a
                    image: b
                    env:
                      - name: PASSWORD
                        valueFrom: {secretKeyRef: {name: creds, key: password}}
                      - name: USER
                        valueFrom: {secretKeyRef: {name: creds, key: user}}
          """).trait("env", Map.of("env", Map.of("PASSWORD", "dev-only"))).build()), "Deployment");

      assertThat(list(d, "/spec/template/spec/containers/0/env")).containsExactly(
          Map.of("name", "PASSWORD", "value", "dev-only"),
          Map.of("name", "USER", "valueFrom", Map.of("secretKeyRef", Map.of("name", "creds", "key", "user"))));
    }

    @Test
    void reachesTheContainersOfACronJob() {
      Resource c = only(render(cronjob("report", "@daily").trait("env", Map.of("env", Map.of("TZ", "UTC"))).build()),
          "CronJob");

      assertThat(list(c, "/spec/jobTemplate/spec/template/spec/containers/0/env"))
          .containsExactly(Map.of("name", "TZ", "value", "UTC"));
    }
  }

  @Nested
  class Resources {
    @Test
    void setsRequestsAndLimitsOnTheContainer() {
      Resource d = only(render(webservice("api").trait("resources", Map.of("cpu", "250m", "memory", "256Mi",
          "limitCpu", "1", "limitMemory", "512Mi")).build()), "Deployment");

      assertThat(tree(d, "/spec/template/spec/containers/0/resources")).isEqualTo(Map.of(
          "requests", Map.of("cpu", "250m", "memory", "256Mi"),
          "limits", Map.of("cpu", "1", "memory", "512Mi")));
    }

    @Test
    void setsOnlyTheGivenFields() {
      Resource j = only(render(job("migrate").trait("resources", Map.of("limitMemory", "1Gi")).build()), "Job");

      assertThat(tree(j, "/spec/template/spec/containers/0/resources"))
          .isEqualTo(Map.of("limits", Map.of("memory", "1Gi")));
    }
  }

  @Nested
  class Labels {
    @Test
    void labelsEveryResourceAndThePodsButLeavesSelectorsAlone() {
      List<Resource> out = render(webservice("api").trait("labels", Map.of("labels", Map.of("team", "payments"))).build());

      assertThat(out).allSatisfy(r -> assertThat(r.label("team")).isEqualTo("payments"));
      Resource d = only(out, "Deployment");
      assertThat(tree(d, "/spec/template/metadata/labels")).containsEntry("team", "payments");
      assertThat(tree(d, "/spec/selector/matchLabels")).isEqualTo(selector("api"));
      assertThat(tree(only(out, "Service"), "/spec/selector")).isEqualTo(selector("api"));
    }

  }

  @Nested
  class Ingress {
    @Test
    void routesTheHostAndPathToTheComponentsServicePort() {
      List<Resource> out = render(webservice("web").property("port", 8080)
          .trait("ingress", Map.of("host", "shop.example.com", "path", "/app")).build());

      Resource ing = only(out, "Ingress");
      assertThat(kinds(out)).containsExactly("Deployment", "Service", "Ingress");
      assertThat(ing.apiVersion()).isEqualTo("networking.k8s.io/v1");
      assertThat(ing.name()).isEqualTo("web");
      assertThat(ing.namespace()).isEqualTo(NAMESPACE);
      assertThat(list(ing, "/spec/rules")).containsExactly(Map.of(
          "host", "shop.example.com",
          "http", Map.of("paths", List.of(Map.of("path", "/app", "pathType", "Prefix",
              "backend", Map.of("service", Map.of("name", "web", "port", Map.of("number", 8080))))))));
      assertThat(ing.at("/spec/tls").isMissingNode()).isTrue();
      assertThat(ing.at("/spec/ingressClassName").isMissingNode()).isTrue();
    }

    @Test
    void pathDefaultsToTheRoot() {
      Resource ing = only(render(webservice("web").trait("ingress", Map.of("host", "shop.example.com")).build()), "Ingress");

      assertThat(ing.at("/spec/rules/0/http/paths/0/path").asString()).isEqualTo("/");
      assertThat(ing.at("/spec/rules/0/http/paths/0/backend/service/port/number").asInt()).isEqualTo(80);
    }

    @Test
    void setsTheClassAndTlsWhenGiven() {
      Resource ing = only(render(webservice("web").trait("ingress", Map.of("host", "shop.example.com",
          "className", "nginx", "tlsSecret", "shop-tls")).build()), "Ingress");

      assertThat(ing.at("/spec/ingressClassName").asString()).isEqualTo("nginx");
      assertThat(list(ing, "/spec/tls")).containsExactly(Map.of("hosts", List.of("shop.example.com"), "secretName", "shop-tls"));
    }
  }

  @Nested
  class Autoscaler {
    @Test
    void rendersAnHpaV2OnCpuAndTakesReplicasAwayFromTheDeployment() {
      List<Resource> out = render(webservice("api").property("replicas", 3)
          .trait("autoscaler", Map.of("min", 2, "max", 10, "cpuUtilization", 65)).build());

      Resource hpa = only(out, "HorizontalPodAutoscaler");
      assertThat(hpa.apiVersion()).isEqualTo("autoscaling/v2");
      assertThat(hpa.name()).isEqualTo("api");
      assertThat(hpa.namespace()).isEqualTo(NAMESPACE);
      assertThat(tree(hpa, "/spec/scaleTargetRef")).isEqualTo(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "api"));
      assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
      assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(10);
      assertThat(list(hpa, "/spec/metrics")).containsExactly(Map.of("type", "Resource", "resource",
          Map.of("name", "cpu", "target", Map.of("type", "Utilization", "averageUtilization", 65))));
      assertThat(only(out, "Deployment").at("/spec").has("replicas")).isFalse();
    }

    @Test
    void minDefaultsToOneAndCpuToEightyPercent() {
      Resource hpa = only(render(worker("mailer").trait("autoscaler", Map.of("max", 4)).build()), "HorizontalPodAutoscaler");

      assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(1);
      assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(4);
      assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(80);
    }

    @Test
    void winsOverAnEarlierScaler() {
      List<Resource> out = render(worker("mailer").trait("scaler", Map.of("replicas", 3))
          .trait("autoscaler", Map.of("max", 4)).build());

      assertThat(only(out, "Deployment").at("/spec").has("replicas")).isFalse();
    }
  }

  @Nested
  class Storage {
    @Test
    void claimsAVolumeAndMountsItInTheContainer() {
      List<Resource> out = render(worker("db").trait("storage", Map.of("name", "data", "size", "10Gi",
          "mountPath", "/var/lib/data", "storageClass", "fast")).build());

      Resource pvc = only(out, "PersistentVolumeClaim");
      assertThat(pvc.name()).isEqualTo("db-data");
      assertThat(pvc.namespace()).isEqualTo(NAMESPACE);
      assertThat(tree(pvc, "/spec")).isEqualTo(Map.of("accessModes", List.of("ReadWriteOnce"),
          "storageClassName", "fast", "resources", Map.of("requests", Map.of("storage", "10Gi"))));
      Resource d = only(out, "Deployment");
      assertThat(list(d, "/spec/template/spec/volumes"))
          .containsExactly(Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", "db-data")));
      assertThat(list(d, "/spec/template/spec/containers/0/volumeMounts"))
          .containsExactly(Map.of("name", "data", "mountPath", "/var/lib/data"));
    }

    @Test
    void leavesTheStorageClassToTheClusterWhenUnsetAndHonoursTheAccessMode() {
      Resource pvc = only(render(worker("db").trait("storage", Map.of("name", "data", "size", "1Gi",
          "mountPath", "/data", "accessMode", "ReadWriteMany")).build()), "PersistentVolumeClaim");

      assertThat(pvc.at("/spec").has("storageClassName")).isFalse();
      assertThat(list(pvc, "/spec/accessModes")).containsExactly("ReadWriteMany");
    }

    @Test
    void mountsIntoTheJobTemplateOfACronJob() {
      List<Resource> out = render(cronjob("backup", "@daily")
          .trait("storage", Map.of("name", "dump", "size", "5Gi", "mountPath", "/dump")).build());

      Resource c = only(out, "CronJob");
      assertThat(only(out, "PersistentVolumeClaim").name()).isEqualTo("backup-dump");
      assertThat(list(c, "/spec/jobTemplate/spec/template/spec/volumes"))
          .containsExactly(Map.of("name", "dump", "persistentVolumeClaim", Map.of("claimName", "backup-dump")));
      assertThat(list(c, "/spec/jobTemplate/spec/template/spec/containers/0/volumeMounts"))
          .containsExactly(Map.of("name", "dump", "mountPath", "/dump"));
    }

    @Test
    void aComponentMayCarrySeveralVolumes() {
      List<Resource> out = render(worker("db")
          .trait("storage", Map.of("name", "data", "size", "10Gi", "mountPath", "/data"))
          .trait("storage", Map.of("name", "wal", "size", "2Gi", "mountPath", "/wal")).build());

      assertThat(out.stream().filter(r -> r.kind().equals("PersistentVolumeClaim")).map(Resource::name))
          .containsExactly("db-data", "db-wal");
      Resource d = only(out, "Deployment");
      assertThat(list(d, "/spec/template/spec/volumes")).hasSize(2);
      assertThat(list(d, "/spec/template/spec/containers/0/volumeMounts")).containsExactly(
          Map.of("name", "data", "mountPath", "/data"), Map.of("name", "wal", "mountPath", "/wal"));
    }
  }

  @Nested
  class NetworkPolicy {
    @Test
    void admitsOnlyThePodsOfDependentsOnTheServicePort() {
      List<Resource> out = render(
          webservice("api").property("port", 8080).trait("network-policy", Map.of()).build(),
          webservice("web").dependsOn("api").build(),
          worker("mailer").dependsOn("api").build(),
          worker("unrelated").build());

      Resource np = only(out.stream().filter(r -> r.label("orchestrationplane.io/component").equals("api")).toList(),
          "NetworkPolicy");
      assertThat(np.apiVersion()).isEqualTo("networking.k8s.io/v1");
      assertThat(np.name()).isEqualTo("api");
      assertThat(np.namespace()).isEqualTo(NAMESPACE);
      assertThat(tree(np, "/spec/podSelector")).isEqualTo(Map.of("matchLabels", selector("api")));
      assertThat(list(np, "/spec/policyTypes")).containsExactly("Ingress");
      assertThat(list(np, "/spec/ingress")).containsExactly(Map.of(
          "from", List.of(Map.of("podSelector", Map.of("matchLabels", selector("web"))),
              Map.of("podSelector", Map.of("matchLabels", selector("mailer")))),
          "ports", List.of(Map.of("protocol", "TCP", "port", 8080))));
    }

    @Test
    void admitsTheListedNamespacesOnTheListedPorts() {
      Resource np = only(render(webservice("api").trait("network-policy",
          Map.of("allowNamespaces", List.of("ingress-nginx"), "ports", List.of(8080, 9090))).build()), "NetworkPolicy");

      assertThat(list(np, "/spec/ingress")).containsExactly(Map.of(
          "from", List.of(Map.of("namespaceSelector",
              Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")))),
          "ports", List.of(Map.of("protocol", "TCP", "port", 8080), Map.of("protocol", "TCP", "port", 9090))));
    }

    @Test
    void deniesAllIngressWhenNothingDependsOnTheComponentAndNoNamespaceIsListed() {
      Resource np = only(render(webservice("api").trait("network-policy", Map.of()).build()), "NetworkPolicy");

      assertThat(list(np, "/spec/policyTypes")).containsExactly("Ingress");
      assertThat(list(np, "/spec/ingress")).isEmpty();
      assertThat(tree(np, "/spec/podSelector")).isEqualTo(Map.of("matchLabels", selector("api")));
    }

    @Test
    void admitsTheNamedTargetPortOfARawService() {
      String manifests = """
          apiVersion: v1
          kind: Service
          metadata: {name: legacy}
          spec:
            ports:
              - {name: web, port: 80, targetPort: http}
              - {name: admin, port: 9000}
              - {name: dns, port: 53, protocol: UDP}
          """;
      Resource np = only(render(Component.builder("legacy", "k8s-objects").property("manifests", manifests)
          .trait("network-policy", Map.of()).build(), worker("client").dependsOn("legacy").build()), "NetworkPolicy");

      assertThat(list(np, "/spec/ingress/0/ports")).containsExactly(
          Map.of("protocol", "TCP", "port", "http"), Map.of("protocol", "TCP", "port", 9000),
          Map.of("protocol", "UDP", "port", 53));
    }

    @Test
    void admitsAllPortsOfAComponentWithoutAService() {
      Resource np = only(render(worker("cache").trait("network-policy", Map.of()).build(),
          worker("mailer").dependsOn("cache").build()), "NetworkPolicy");

      assertThat(tree(np, "/spec/ingress/0")).containsOnlyKeys("from");
    }
  }

  /** Raw manifests may leave out or null the fields built-in traits edit; traits fill them in. */
  @Nested
  class OnSparseRawManifests {
    private List<Resource> renderRaw(String manifest, String trait, Map<String, ?> properties) {
      return render(Component.builder("raw", "k8s-objects").property("manifests", manifest).trait(trait, properties).build());
    }

    @Test
    void scalerAddsASpecWhenTheDeploymentHasNone() {
      Resource d = only(renderRaw("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", "scaler",
          Map.of("replicas", 2)), "Deployment");

      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void autoscalerTargetsADeploymentWithoutSpec() {
      List<Resource> out = renderRaw("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", "autoscaler",
          Map.of("max", 2));

      assertThat(only(out, "HorizontalPodAutoscaler").at("/spec/scaleTargetRef/name").asString()).isEqualTo("x");
    }

    @Test
    void labelsReplaceNullPodLabels() {
      Resource d = only(renderRaw("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
          + "spec: {template: {metadata: {labels: null}, spec: {containers: [{name: a, image: b}]}}}\n", "labels",
          Map.of("labels", Map.of("team", "a"))), "Deployment");

      assertThat(tree(d, "/spec/template/metadata/labels")).isEqualTo(Map.of("team", "a"));
    }

    @Test
    void resourcesReplaceNullContainerResources() {
      Resource d = only(renderRaw("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
          + "spec: {template: {spec: {containers: [{name: a, image: b, resources: null}]}}}\n", "resources",
          Map.of("cpu", "1")), "Deployment");

      assertThat(tree(d, "/spec/template/spec/containers/0/resources")).isEqualTo(Map.of("requests", Map.of("cpu", "1")));
    }
  }

  @Test
  void traitsApplyInTheOrderTheyAreListed() {
    List<Resource> labelsFirst = render(webservice("web")
        .trait("labels", Map.of("labels", Map.of("team", "shop")))
        .trait("ingress", Map.of("host", "shop.example.com")).build());
    List<Resource> ingressFirst = render(webservice("web")
        .trait("ingress", Map.of("host", "shop.example.com"))
        .trait("labels", Map.of("labels", Map.of("team", "shop"))).build());

    assertThat(only(labelsFirst, "Ingress").label("team")).isNull();
    assertThat(only(ingressFirst, "Ingress").label("team")).isEqualTo("shop");
  }
}
