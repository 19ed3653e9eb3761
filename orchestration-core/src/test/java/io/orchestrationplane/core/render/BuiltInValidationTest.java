package io.orchestrationplane.core.render;

import static io.orchestrationplane.core.render.Rendering.app;
import static io.orchestrationplane.core.render.Rendering.cronjob;
import static io.orchestrationplane.core.render.Rendering.job;
import static io.orchestrationplane.core.render.Rendering.plane;
import static io.orchestrationplane.core.render.Rendering.webservice;
import static io.orchestrationplane.core.render.Rendering.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each built-in's property checks, each reported with its exact field path. */
class BuiltInValidationTest {
  private static final String C0 = "spec.components[0].properties.";

  private static List<Problem> problems(Application app) {
    try (OrchestrationPlane plane = plane()) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.validate(app));
      assertThat(e).as("validation of %s should fail", app).isNotNull();
      return e.problems();
    }
  }

  static Stream<Arguments> invalidComponents() {
    return Stream.of(
        // schema checks shared by every built-in
        arguments("unknown property", webservice("api").property("prot", 80), C0 + "prot", "unknown property 'prot'"),
        arguments("mistyped integer", webservice("api").property("replicas", "3"), C0 + "replicas", "must be an integer, got \"3\""),
        arguments("fraction for an integer", worker("w").property("replicas", 1.5), C0 + "replicas", "must be an integer"),
        arguments("mistyped string list", worker("w").property("cmd", "run.sh"), C0 + "cmd", "must be a list of strings"),
        arguments("mistyped list element", worker("w").property("args", List.of("--port", 80)), C0 + "args", "must be a list of strings"),
        arguments("mistyped string map", worker("w").property("env", Map.of("PORT", 8080)), C0 + "env", "must be a map of strings to strings"),
        arguments("mistyped boolean", cronjob("c", "@daily").property("suspend", "yes"), C0 + "suspend", "must be a boolean"),
        arguments("missing image", Component.builder("api", "webservice"), C0 + "image", "required property 'image' is missing"),
        arguments("null image", webservice("api").property("image", null), C0 + "image", "is required and must not be null"),
        arguments("missing schedule", Component.builder("c", "cronjob").property("image", "busybox"), C0 + "schedule",
            "required property 'schedule' is missing (Cron schedule"),
        arguments("negative replicas", webservice("api").property("replicas", -1), C0 + "replicas", "must be at least 0"),
        arguments("port zero", webservice("api").property("port", 0), C0 + "port", "must be at least 1"),
        arguments("port above 65535", webservice("api").property("port", 65536), C0 + "port", "must be at most 65535, got 65536"),
        arguments("replicas beyond int32", worker("w").property("replicas", 3_000_000_000L), C0 + "replicas",
            "must be at most 2147483647"),
        arguments("webservice replicas beyond int32", webservice("w").property("replicas", 1L << 32), C0 + "replicas",
            "must be at most 2147483647"),
        arguments("backoff beyond int32", job("j").property("backoffLimit", 1L << 31), C0 + "backoffLimit",
            "must be at most 2147483647"),
        arguments("cron backoff beyond int32", cronjob("c", "@daily").property("backoffLimit", 1L << 31), C0 + "backoffLimit",
            "must be at most 2147483647"),
        arguments("negative job backoff", job("j").property("backoffLimit", -1), C0 + "backoffLimit", "must be at least 0"),
        arguments("zero deadline", job("j").property("activeDeadlineSeconds", 0), C0 + "activeDeadlineSeconds", "must be at least 1"),
        arguments("negative cron backoff", cronjob("c", "@daily").property("backoffLimit", -2), C0 + "backoffLimit", "must be at least 0"),
        // custom checks of the component types
        arguments("blank image", worker("w").property("image", " "), C0 + "image", "must not be blank"),
        arguments("webservice pull policy", webservice("api").property("imagePullPolicy", "Sometimes"), C0 + "imagePullPolicy",
            "must be Always, IfNotPresent or Never, got \"Sometimes\""),
        arguments("worker pull policy", worker("w").property("imagePullPolicy", "always"), C0 + "imagePullPolicy",
            "must be Always, IfNotPresent or Never"),
        arguments("job pull policy", job("j").property("imagePullPolicy", "Latest"), C0 + "imagePullPolicy",
            "must be Always, IfNotPresent or Never"),
        arguments("cronjob pull policy", cronjob("c", "@daily").property("imagePullPolicy", ""), C0 + "imagePullPolicy",
            "must be Always, IfNotPresent or Never"),
        arguments("service type", webservice("api").property("serviceType", "ExternalName"), C0 + "serviceType",
            "must be ClusterIP, NodePort or LoadBalancer, got \"ExternalName\""),
        arguments("job restart policy", job("j").property("restartPolicy", "Always"), C0 + "restartPolicy",
            "must be Never or OnFailure, got \"Always\""),
        arguments("cronjob restart policy", cronjob("c", "@daily").property("restartPolicy", "Always"), C0 + "restartPolicy",
            "must be Never or OnFailure"),
        arguments("cron schedule with 4 fields", cronjob("c", "*/5 * * *"), C0 + "schedule",
            "must have 5 fields (minute hour day month weekday) or be a macro like @hourly, got \"*/5 * * *\""),
        arguments("cron schedule with 6 fields", cronjob("c", "0 */5 * * * *"), C0 + "schedule", "must have 5 fields"),
        arguments("unknown cron macro", cronjob("c", "@fortnightly"), C0 + "schedule",
            "unknown macro \"@fortnightly\" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)"),
        arguments("cron @every without duration", cronjob("c", "@every"), C0 + "schedule", "unknown macro"),
        arguments("concurrency policy", cronjob("c", "@daily").property("concurrencyPolicy", "Queue"), C0 + "concurrencyPolicy",
            "must be Allow, Forbid or Replace, got \"Queue\""),
        arguments("k8s-objects without manifests", Component.builder("raw", "k8s-objects"), C0 + "objects",
            "give 'objects' or 'manifests'"),
        arguments("k8s-objects object without kind", Component.builder("raw", "k8s-objects").property("objects", List.of(
            Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "a")),
            Map.of("apiVersion", "v1", "metadata", Map.of("name", "b")))), C0 + "objects[1]", "kind is required"),
        arguments("k8s-objects object that is no object", Component.builder("raw", "k8s-objects")
            .property("objects", List.of("kind: ConfigMap")), C0 + "objects[0]", "must be an object"),
        arguments("k8s-objects manifest without name", Component.builder("raw", "k8s-objects").property("manifests",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {}\n"),
            C0 + "manifests", "document 2: Secret: metadata.name is required"),
        arguments("k8s-objects object with an empty name", Component.builder("raw", "k8s-objects").property("objects",
            List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "")))), C0 + "objects[0]",
            "ConfigMap: metadata.name is required"),
        arguments("k8s-objects manifests that are not YAML", Component.builder("raw", "k8s-objects").property("manifests",
            "apiVersion: v1\nkind: [ConfigMap\n"), C0 + "manifests", "invalid YAML at line 2"),
        arguments("k8s-objects objects that are no list", Component.builder("raw", "k8s-objects").property("objects",
            Map.of("apiVersion", "v1")), C0 + "objects", "must be a list"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidComponents")
  void componentPropertyProblemsNameTheirPath(String what, Component.Builder component, String path, String message) {
    List<Problem> problems = problems(app(component.build()));

    assertThat(problems).extracting(Problem::path).containsExactly(path);
    assertThat(problems.get(0).message()).contains(message);
  }

  static Stream<Arguments> invalidTraits() {
    return Stream.of(
        arguments("unknown trait property", worker("w").trait("scaler", Map.of("replicas", 1, "max", 3)), "properties.max",
            "unknown property 'max' (known: replicas)"),
        arguments("missing scaler replicas", worker("w").trait("scaler", Map.of()), "properties.replicas",
            "required property 'replicas' is missing"),
        arguments("negative scaler replicas", worker("w").trait("scaler", Map.of("replicas", -1)), "properties.replicas",
            "must be at least 0"),
        arguments("scaler replicas beyond int32", worker("w").trait("scaler", Map.of("replicas", 1L << 31)),
            "properties.replicas", "must be at most 2147483647"),
        arguments("autoscaler max beyond int32", worker("w").trait("autoscaler", Map.of("max", 1L << 31)),
            "properties.max", "must be at most 2147483647"),
        arguments("autoscaler cpu beyond int32", worker("w").trait("autoscaler", Map.of("max", 2, "cpuUtilization", 1L << 31)),
            "properties.cpuUtilization", "must be at most 2147483647"),
        arguments("autoscaler max below one", worker("w").trait("autoscaler", Map.of("max", 0)), "properties.max",
            "must be at least 1, got 0"),
        arguments("autoscaler min below one", worker("w").trait("autoscaler", Map.of("min", 0, "max", 3)), "properties.min",
            "must be at least 1"),
        arguments("autoscaler missing max", worker("w").trait("autoscaler", Map.of("min", 2)), "properties.max",
            "required property 'max' is missing"),
        arguments("autoscaler min above max", worker("w").trait("autoscaler", Map.of("min", 5, "max", 3)), "properties.min",
            "must not exceed max (5 > 3)"),
        arguments("autoscaler mistyped cpu", worker("w").trait("autoscaler", Map.of("max", 3, "cpuUtilization", "80%")),
            "properties.cpuUtilization", "must be an integer"),
        arguments("env missing", worker("w").trait("env", Map.of()), "properties.env", "required property 'env' is missing"),
        arguments("env mistyped", worker("w").trait("env", Map.of("env", List.of("A=b"))), "properties.env",
            "must be a map of strings to strings"),
        arguments("resources quantity", worker("w").trait("resources", Map.of("cpu", "250m", "memory", "lots")),
            "properties.memory", "must be a Kubernetes quantity such as 250m, 1 or 512Mi, got \"lots\""),
        arguments("resources limit quantity", worker("w").trait("resources", Map.of("limitCpu", "1 core")),
            "properties.limitCpu", "must be a Kubernetes quantity"),
        arguments("resources empty", worker("w").trait("resources", Map.of()), "properties.cpu",
            "set at least one of cpu, memory, limitCpu, limitMemory"),
        arguments("labels invalid key", worker("w").trait("labels", Map.of("labels", Map.of("bad key", "x"))),
            "properties.labels.bad key", "label key 'bad key' is not valid"),
        arguments("labels invalid value", worker("w").trait("labels", Map.of("labels", Map.of("team", "a b"))),
            "properties.labels.team", "label value 'a b' is not valid"),
        arguments("labels overriding the pod selector", worker("w").trait("labels",
            Map.of("labels", Map.of("app.kubernetes.io/name", "other"))), "properties.labels.app.kubernetes.io/name",
            "is set by the plane"),
        arguments("labels overriding an ownership label", worker("w").trait("labels",
            Map.of("labels", Map.of("orchestrationplane.io/application", "other"))),
            "properties.labels.orchestrationplane.io/application", "is set by the plane"),
        arguments("ingress missing host", webservice("web").trait("ingress", Map.of()), "properties.host",
            "required property 'host' is missing"),
        arguments("ingress host not a DNS name", webservice("web").trait("ingress", Map.of("host", "Shop.Example.com")),
            "properties.host", "must be a lower-case DNS name"),
        arguments("ingress path not absolute", webservice("web").trait("ingress", Map.of("host", "a.example.com", "path", "app")),
            "properties.path", "must start with /, got \"app\""),
        arguments("storage missing size", worker("w").trait("storage", Map.of("name", "data", "mountPath", "/data")),
            "properties.size", "required property 'size' is missing"),
        arguments("storage size not a quantity", worker("w").trait("storage", Map.of("name", "data", "size", "10 GB",
            "mountPath", "/data")), "properties.size", "must be a Kubernetes quantity such as 10Gi or 500M, got \"10 GB\""),
        arguments("storage access mode", worker("w").trait("storage", Map.of("name", "data", "size", "1Gi",
            "mountPath", "/data", "accessMode", "ReadWriteSometimes")), "properties.accessMode",
            "must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod"),
        arguments("storage relative mount path", worker("w").trait("storage", Map.of("name", "data", "size", "1Gi",
            "mountPath", "data")), "properties.mountPath", "must be an absolute path, got \"data\""),
        arguments("storage volume name", worker("w").trait("storage", Map.of("name", "Data_1", "size", "1Gi",
            "mountPath", "/data")), "properties.name", "not a valid RFC 1123 name"),
        arguments("network-policy port zero", webservice("api").trait("network-policy", Map.of("ports", List.of(80, 0))),
            "properties.ports[1]", "must be a port between 1 and 65535, got 0"),
        arguments("network-policy port above 65535", webservice("api").trait("network-policy", Map.of("ports", List.of(70000))),
            "properties.ports[0]", "must be a port between 1 and 65535, got 70000"),
        arguments("network-policy namespace name", webservice("api").trait("network-policy",
            Map.of("allowNamespaces", List.of("ingress-nginx", "Bad_NS"))), "properties.allowNamespaces[1]",
            "'Bad_NS' is not a valid RFC 1123 name"),
        arguments("network-policy mistyped ports", webservice("api").trait("network-policy", Map.of("ports", List.of("http"))),
            "properties.ports", "must be a list of integers"),
        arguments("network-policy mistyped namespaces", webservice("api").trait("network-policy",
            Map.of("allowNamespaces", "ingress-nginx")), "properties.allowNamespaces", "must be a list of strings"));
  }

  /** The trait under test is always the second, after a valid one, so the index in the path is checked too. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTraits")
  void traitPropertyProblemsNameTheirPath(String what, Component.Builder component, String subPath, String message) {
    Component c = component.build();
    Trait validFirst = c.traits().get(0).type().equals("labels")
        ? Trait.of("env", Map.of("env", Map.of("A", "b")))
        : Trait.of("labels", Map.of("labels", Map.of("team", "shop")));
    Component.Builder b = Component.builder(c.name(), c.type()).properties(c.properties()).trait(validFirst);
    c.traits().forEach(b::trait);

    List<Problem> problems = problems(app(b.build()));

    assertThat(problems).extracting(Problem::path).containsExactly("spec.components[0].traits[1]." + subPath);
    assertThat(problems.get(0).message()).contains(message);
  }

  @Test
  void autoscalerMaxOutOfRangeIsReportedAtItsFieldPath() {
    List<Problem> problems = problems(app(webservice("api")
        .trait("scaler", Map.of("replicas", 1))
        .trait("autoscaler", Map.of("min", 1, "max", 0)).build()));

    assertThat(problems).extracting(Problem::path).containsExactly("spec.components[0].traits[1].properties.max");
  }

  @Test
  void problemsInYamlCarryTheLineAndColumnOfTheProperty() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: shop}
        spec:
          components:
            - name: api
              type: webservice
              properties: {image: "ghcr.io/acme/api:1.0", serviceType: Mesh}
              traits:
                - type: scaler
                  properties: {replicas: 1}
                - type: autoscaler
                  properties:
                    max: 0
        """;
    try (OrchestrationPlane plane = plane()) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.load(yaml));

      assertThat(e.problems()).extracting(Problem::path, Problem::line, Problem::column).containsExactly(
          org.assertj.core.groups.Tuple.tuple("spec.components[0].properties.serviceType", 8, 51),
          org.assertj.core.groups.Tuple.tuple("spec.components[0].traits[1].properties.max", 14, 13));
    }
  }

  @Test
  void aTraitThatMayAppearOnceIsReportedTheSecondTime() {
    List<Problem> problems = problems(app(worker("w").trait("scaler", Map.of("replicas", 1))
        .trait("env", Map.of("env", Map.of("A", "b"))).trait("scaler", Map.of("replicas", 2)).build()));

    assertThat(problems).extracting(Problem::path).containsExactly("spec.components[0].traits[2].type");
    assertThat(problems.get(0).message()).contains("trait 'scaler' appears twice").contains("traits[0]");
  }

  @Test
  void unknownTypesAreReportedWithTheKnownOnes() {
    List<Problem> problems = problems(app(Component.builder("x", "lambda").build(),
        worker("w").trait("sidecar", Map.of()).build()));

    assertThat(problems).extracting(Problem::path)
        .containsExactly("spec.components[0].type", "spec.components[1].traits[0].type");
    assertThat(problems.get(0).message()).contains("unknown component type 'lambda'")
        .contains("webservice, worker, job, cronjob, k8s-objects");
    assertThat(problems.get(1).message()).contains("unknown trait type 'sidecar'")
        .contains("scaler, env, resources, labels, ingress, autoscaler, storage, network-policy");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<Problem> problems = problems(app(
        webservice("api").property("port", 0).property("serviceType", "Mesh").build(),
        cronjob("report", "daily").trait("resources", Map.of("cpu", "x")).build()));

    // the type's own checks run only once the schema is satisfied: serviceType waits for port
    assertThat(problems).extracting(Problem::path).containsExactly(
        "spec.components[0].properties.port",
        "spec.components[1].properties.schedule",
        "spec.components[1].traits[0].properties.cpu");
  }

  @Test
  void environmentOverridesAreCheckedAgainstTheComponentsSchema() {
    Application app = app(webservice("api").build(), job("migrate").build()).toBuilder()
        .environment(Environment.builder("prod").clusters("c1")
            .override("api", Map.of("replicas", "three", "serviceType", "Mesh"))
            .override("migrate", Map.of("schedule", "@daily"))
            .build())
        .build();

    List<Problem> problems = problems(app);

    assertThat(problems).extracting(Problem::path).containsExactly(
        "spec.environments[0].overrides.api.replicas",
        "spec.environments[0].overrides.migrate.schedule");
  }

  @Test
  void validBuiltInsPassWithEveryPropertySet() {
    Application app = app(
        webservice("web").property("port", 8080).property("replicas", 2).property("serviceType", "NodePort")
            .property("cmd", List.of("/web")).property("args", List.of("-v")).property("env", Map.of("A", "1"))
            .property("imagePullPolicy", "Always")
            .trait("ingress", Map.of("host", "*.example.com", "path", "/", "className", "nginx", "tlsSecret", "tls"))
            .trait("autoscaler", Map.of("min", 2, "max", 2, "cpuUtilization", 150))
            .trait("resources", Map.of("cpu", "0.5", "memory", "1e3", "limitCpu", "2", "limitMemory", "1.5Gi"))
            .trait("labels", Map.of("labels", Map.of("example.com/team", "web_1.a")))
            .trait("env", Map.of("env", Map.of("B", "2")))
            .trait("network-policy", Map.of("ports", List.of(8080), "allowNamespaces", List.of("ingress")))
            .trait("storage", Map.of("name", "a", "size", "1Gi", "mountPath", "/a", "storageClass", "s",
                "accessMode", "ReadWriteOncePod"))
            .trait("storage", Map.of("name", "b", "size", "1Gi", "mountPath", "/b")).build(),
        worker("w").trait("scaler", Map.of("replicas", 0)).build(),
        job("j").property("backoffLimit", 0).property("activeDeadlineSeconds", 1).property("restartPolicy", "OnFailure").build(),
        cronjob("c", "0 3 * * 1-5").property("concurrencyPolicy", "Allow").property("suspend", true)
            .property("restartPolicy", "OnFailure").build(),
        cronjob("c2", "@every 1h30m").build(),
        cronjob("c3", "@weekly").build(),
        Component.builder("raw", "k8s-objects").property("manifests", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
            .property("objects", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "b"))))
            .build());

    try (OrchestrationPlane plane = plane()) {
      assertThatCode(() -> plane.render(app)).doesNotThrowAnyException();
    }
  }
}
