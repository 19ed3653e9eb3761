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
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ComponentTypesRenderTest {

  @Nested
  class Webservice {
    @Test
    void rendersADeploymentAndAServiceNamedAfterTheComponent() {
      List<Resource> out = render(webservice("api").build());

      assertThat(kinds(out)).containsExactly("Deployment", "Service");
      assertThat(out).extracting(Resource::name).containsOnly("api");
      assertThat(out).extracting(Resource::namespace).containsOnly(NAMESPACE);
      assertThat(out).extracting(Resource::apiVersion).containsExactly("apps/v1", "v1");
    }

    @Test
    void deploymentSelectsItsPodsByComponentAndApplicationName() {
      Resource d = only(render(webservice("api").build()), "Deployment");

      assertThat(tree(d, "/spec/selector/matchLabels")).isEqualTo(selector("api"));
      assertThat(tree(d, "/spec/template/metadata/labels")).isEqualTo(selector("api"));
    }

    @Test
    void containerCarriesImageCommandArgsEnvPullPolicyAndPort() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("MODE", "fast");
      env.put("LOG", "debug");
      Resource d = only(render(webservice("api")
          .property("image", "ghcr.io/acme/api:1.4.2")
          .property("cmd", List.of("/bin/api"))
          .property("args", List.of("--listen", ":8080"))
          .property("env", env)
          .property("imagePullPolicy", "IfNotPresent")
          .property("port", 8080)
          .build()), "Deployment");

      assertThat(list(d, "/spec/template/spec/containers")).hasSize(1);
      assertThat(tree(d, "/spec/template/spec/containers/0")).containsOnly(
          Map.entry("name", "api"),
          Map.entry("image", "ghcr.io/acme/api:1.4.2"),
          Map.entry("imagePullPolicy", "IfNotPresent"),
          Map.entry("command", List.of("/bin/api")),
          Map.entry("args", List.of("--listen", ":8080")),
          Map.entry("ports", List.of(Map.of("name", "http", "containerPort", 8080))),
          Map.entry("env", List.of(Map.of("name", "MODE", "value", "fast"), Map.of("name", "LOG", "value", "debug"))));
    }

    @Test
    void leavesOutCommandArgsEnvAndPullPolicyWhenNotGiven() {
      Resource d = only(render(webservice("api").build()), "Deployment");

      assertThat(tree(d, "/spec/template/spec/containers/0"))
          .containsOnlyKeys("name", "image", "ports");
    }

    @Test
    void replicasDefaultToOneAndFollowTheProperty() {
      assertThat(only(render(webservice("api").build()), "Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
      assertThat(only(render(webservice("api").property("replicas", 4).build()), "Deployment")
          .at("/spec/replicas").asInt()).isEqualTo(4);
      assertThat(only(render(webservice("api").property("replicas", 0).build()), "Deployment")
          .at("/spec/replicas").asInt()).isZero();
    }

    @Test
    void serviceExposesThePortOnTheSameTargetPortToThePods() {
      Resource svc = only(render(webservice("api").property("port", 8080).build()), "Service");

      assertThat(svc.at("/spec/type").asString()).isEqualTo("ClusterIP");
      assertThat(tree(svc, "/spec/selector")).isEqualTo(selector("api"));
      assertThat(list(svc, "/spec/ports")).containsExactly(
          Map.of("name", "http", "port", 8080, "targetPort", 8080, "protocol", "TCP"));
    }

    @Test
    void portDefaultsToEighty() {
      List<Resource> out = render(webservice("api").build());

      assertThat(only(out, "Service").at("/spec/ports/0/port").asInt()).isEqualTo(80);
      assertThat(only(out, "Deployment").at("/spec/template/spec/containers/0/ports/0/containerPort").asInt())
          .isEqualTo(80);
    }

    @Test
    void serviceTypeFollowsTheProperty() {
      Resource svc = only(render(webservice("api").property("serviceType", "LoadBalancer").build()), "Service");

      assertThat(svc.at("/spec/type").asString()).isEqualTo("LoadBalancer");
    }
  }

  @Nested
  class Worker {
    @Test
    void rendersOnlyADeploymentWithoutPorts() {
      List<Resource> out = render(worker("mailer").property("replicas", 2).build());

      Resource d = only(out, "Deployment");
      assertThat(kinds(out)).containsExactly("Deployment");
      assertThat(d.name()).isEqualTo("mailer");
      assertThat(d.namespace()).isEqualTo(NAMESPACE);
      assertThat(d.at("/spec/replicas").asInt()).isEqualTo(2);
      assertThat(tree(d, "/spec/selector/matchLabels")).isEqualTo(selector("mailer"));
      assertThat(tree(d, "/spec/template/spec/containers/0"))
          .containsOnly(Map.entry("name", "mailer"), Map.entry("image", "ghcr.io/acme/mailer:1.0"));
    }

    @Test
    void passesCommandArgsAndEnvToTheContainer() {
      Resource d = only(render(worker("mailer")
          .property("cmd", List.of("python", "-m", "mailer"))
          .property("args", List.of("--queue", "mail"))
          .property("env", Map.of("QUEUE", "mail"))
          .build()), "Deployment");

      assertThat(list(d, "/spec/template/spec/containers/0/command")).containsExactly("python", "-m", "mailer");
      assertThat(list(d, "/spec/template/spec/containers/0/args")).containsExactly("--queue", "mail");
      assertThat(list(d, "/spec/template/spec/containers/0/env")).containsExactly(Map.of("name", "QUEUE", "value", "mail"));
    }
  }

  @Nested
  class Job {
    @Test
    void rendersABatchJobThatNeverRestartsAndRetriesSixTimesByDefault() {
      List<Resource> out = render(job("migrate").property("args", List.of("migrate", "up")).build());

      Resource j = only(out, "Job");
      assertThat(kinds(out)).containsExactly("Job");
      assertThat(j.apiVersion()).isEqualTo("batch/v1");
      assertThat(j.name()).isEqualTo("migrate");
      assertThat(j.namespace()).isEqualTo(NAMESPACE);
      assertThat(j.at("/spec/backoffLimit").asInt()).isEqualTo(6);
      assertThat(j.at("/spec/activeDeadlineSeconds").isMissingNode()).isTrue();
      assertThat(j.at("/spec/template/spec/restartPolicy").asString()).isEqualTo("Never");
      assertThat(tree(j, "/spec/template/metadata/labels")).isEqualTo(selector("migrate"));
      assertThat(j.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("ghcr.io/acme/migrate:1.0");
      assertThat(list(j, "/spec/template/spec/containers/0/args")).containsExactly("migrate", "up");
      assertThat(j.at("/spec/replicas").isMissingNode()).isTrue();
    }

    @Test
    void backoffDeadlineAndRestartPolicyFollowTheProperties() {
      Resource j = only(render(job("migrate").property("backoffLimit", 0).property("activeDeadlineSeconds", 600)
          .property("restartPolicy", "OnFailure").build()), "Job");

      assertThat(j.at("/spec/backoffLimit").asInt()).isZero();
      assertThat(j.at("/spec/activeDeadlineSeconds").asLong()).isEqualTo(600);
      assertThat(j.at("/spec/template/spec/restartPolicy").asString()).isEqualTo("OnFailure");
    }
  }

  @Nested
  class CronJob {
    @Test
    void rendersACronJobWhoseTemplateIsAJob() {
      List<Resource> out = render(cronjob("report", "*/15 * * * *").property("backoffLimit", 2).build());

      Resource c = only(out, "CronJob");
      assertThat(kinds(out)).containsExactly("CronJob");
      assertThat(c.apiVersion()).isEqualTo("batch/v1");
      assertThat(c.namespace()).isEqualTo(NAMESPACE);
      assertThat(c.at("/spec/schedule").asString()).isEqualTo("*/15 * * * *");
      assertThat(c.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
      assertThat(c.at("/spec/suspend").asBoolean()).isFalse();
      assertThat(c.at("/spec/jobTemplate/spec/backoffLimit").asInt()).isEqualTo(2);
      assertThat(c.at("/spec/jobTemplate/spec/template/spec/restartPolicy").asString()).isEqualTo("Never");
      assertThat(c.at("/spec/jobTemplate/spec/template/spec/containers/0/image").asString())
          .isEqualTo("ghcr.io/acme/report:1.0");
      assertThat(tree(c, "/spec/jobTemplate/spec/template/metadata/labels")).isEqualTo(selector("report"));
    }

    @Test
    void concurrencySuspendAndRestartPolicyFollowTheProperties() {
      Resource c = only(render(cronjob("report", "@hourly").property("concurrencyPolicy", "Replace")
          .property("suspend", true).property("restartPolicy", "OnFailure").build()), "CronJob");

      assertThat(c.at("/spec/schedule").asString()).isEqualTo("@hourly");
      assertThat(c.at("/spec/concurrencyPolicy").asString()).isEqualTo("Replace");
      assertThat(c.at("/spec/suspend").asBoolean()).isTrue();
      assertThat(c.at("/spec/jobTemplate/spec/template/spec/restartPolicy").asString()).isEqualTo("OnFailure");
    }
  }

  @Nested
  class K8sObjects {
    private final Map<String, Object> configMap = Map.of("apiVersion", "v1", "kind", "ConfigMap",
        "metadata", Map.of("name", "settings"), "data", Map.of("mode", "fast"));

    @Test
    void rendersEachObjectOfTheListAsGivenInTheEnvironmentsNamespace() {
      List<Resource> out = render(Component.builder("raw", "k8s-objects")
          .property("objects", List.of(configMap)).build());

      Resource cm = only(out, "ConfigMap");
      assertThat(cm.name()).isEqualTo("settings");
      assertThat(cm.namespace()).isEqualTo(NAMESPACE);
      assertThat(tree(cm, "/data")).isEqualTo(Map.of("mode", "fast"));
      assertThat(cm.label(Ownership.COMPONENT_LABEL)).isEqualTo("raw");
    }

    @Test
    void acceptsMultiDocumentYamlSkippingEmptyDocuments() {
      String manifests = """
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: creds}
          stringData: {password: s3cret}
          ---
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: legacy}
          spec: {replicas: 2}
          ...
          """;

      List<Resource> out = render(Component.builder("raw", "k8s-objects").property("manifests", manifests).build());

      assertThat(out).extracting(Resource::toString)
          .containsExactly("Secret " + NAMESPACE + "/creds", "Deployment " + NAMESPACE + "/legacy");
      assertThat(out.get(1).at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void rendersListedObjectsBeforeManifests() {
      List<Resource> out = render(Component.builder("raw", "k8s-objects")
          .property("objects", List.of(configMap))
          .property("manifests", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner}\n")
          .build());

      assertThat(kinds(out)).containsExactly("ConfigMap", "ServiceAccount");
    }

    @Test
    void clusterScopedKindsGetNoNamespaceEvenWhenTheManifestGivesOne() {
      String manifests = """
          apiVersion: v1
          kind: Namespace
          metadata: {name: tenant-a}
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: reader, namespace: somewhere}
          rules: []
          ---
          apiVersion: storage.k8s.io/v1
          kind: StorageClass
          metadata: {name: fast}
          provisioner: example.com/fast
          """;

      List<Resource> out = render(Component.builder("raw", "k8s-objects").property("manifests", manifests).build());

      assertThat(out).extracting(Resource::namespace).containsOnly("");
      assertThat(out).allSatisfy(r -> assertThat(r.at("/metadata/namespace").isMissingNode()).isTrue());
      assertThat(out).allSatisfy(r -> assertThat(r.label(Ownership.MANAGED_BY_LABEL)).isEqualTo(Ownership.MANAGER));
    }

    @Test
    void namespacedObjectsKeepAnExplicitNamespace() {
      String manifests = """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: shared, namespace: platform}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: local}
          """;

      List<Resource> out = render(Component.builder("raw", "k8s-objects").property("manifests", manifests).build());

      assertThat(out).extracting(Resource::toString)
          .containsExactly("ConfigMap platform/shared", "ConfigMap " + NAMESPACE + "/local");
    }
  }
}
