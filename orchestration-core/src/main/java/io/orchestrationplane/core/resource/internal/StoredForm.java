package io.orchestrationplane.core.resource.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form a Kubernetes API server (1.30) stores an object in, as far as a comparison can tell:
 * quantities in canonical form ({@code 0.5} → {@code 500m}, {@code 1024Mi} → {@code 1Gi}); empty
 * lists, strings and maps that Go's {@code omitempty} drops; a Secret's {@code stringData} folded
 * into base64 {@code data}; the defaults of the built-in workload, pod, container, Service and
 * Job kinds; a Service's allocated cluster IP; and for a bare Pod what admission adds (the default
 * tolerations, the service-account token volume and its mounts). For a cluster in tests that must
 * answer like a real one ({@code InMemoryCluster.builder(name).storedForm(true)}).
 */
public final class StoredForm {
  private static final Set<String> MAP_FIELDS = Set.of("labels", "annotations", "nodeSelector", "data", "stringData",
      "binaryData", "matchLabels");
  private static final Set<String> KEEP_EMPTY_VALUES_UNDER = Set.of("labels", "annotations", "data", "stringData",
      "binaryData", "matchLabels", "nodeSelector");
  private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "hard", "capacity", "allocatable",
      "overhead", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio", "used");

  private StoredForm() {}

  /** {@code object} changed in place into its stored form; {@code clusterIps} allocates Service IPs. */
  public static ObjectNode normalize(ObjectNode object, Supplier<String> clusterIps) {
    String apiVersion = object.path("apiVersion").asString("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = object.path("kind").asString("");
    if (group.isEmpty() && kind.equals("Secret")) {
      secret(object);
    }
    JsonNode spec = object.get("spec");
    if (spec instanceof ObjectNode s) {
      switch (group + "/" + kind) {
        case "apps/Deployment" -> deployment(s);
        case "apps/StatefulSet" -> statefulSet(s);
        case "apps/DaemonSet" -> daemonSet(s);
        case "batch/Job" -> job(s);
        case "batch/CronJob" -> cronJob(s);
        case "/Service" -> service(s, clusterIps);
        case "/Pod" -> {
          podSpec(s, "Always");
          admitPod(s);
        }
        case "/PersistentVolumeClaim" -> putIfAbsent(s, "volumeMode", "Filesystem");
        default -> { }
      }
    }
    canonical(object, null, null, group.isEmpty() || group.equals("apps") || group.equals("batch"));
    return object;
  }

  private static void secret(ObjectNode secret) {
    JsonNode stringData = secret.remove("stringData");
    if (stringData != null && stringData.isObject() && !stringData.isEmpty()) {
      ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
      for (Map.Entry<String, JsonNode> e : stringData.properties()) {
        data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
      }
    }
    putIfAbsent(secret, "type", "Opaque");
  }

  private static void deployment(ObjectNode spec) {
    putIfAbsent(spec, "replicas", 1);
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    putIfAbsent(spec, "progressDeadlineSeconds", 600);
    if (!spec.has("strategy")) {
      ObjectNode strategy = spec.putObject("strategy");
      strategy.put("type", "RollingUpdate");
      strategy.putObject("rollingUpdate").put("maxUnavailable", "25%").put("maxSurge", "25%");
    }
    template(spec, "Always");
  }

  private static void statefulSet(ObjectNode spec) {
    putIfAbsent(spec, "replicas", 1);
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
    if (!spec.has("updateStrategy")) {
      ObjectNode strategy = spec.putObject("updateStrategy");
      strategy.put("type", "RollingUpdate");
      strategy.putObject("rollingUpdate").put("partition", 0);
    }
    if (!spec.has("persistentVolumeClaimRetentionPolicy")) {
      spec.putObject("persistentVolumeClaimRetentionPolicy").put("whenDeleted", "Retain").put("whenScaled", "Retain");
    }
    template(spec, "Always");
  }

  private static void daemonSet(ObjectNode spec) {
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    if (!spec.has("updateStrategy")) {
      ObjectNode strategy = spec.putObject("updateStrategy");
      strategy.put("type", "RollingUpdate");
      strategy.putObject("rollingUpdate").put("maxUnavailable", 1).put("maxSurge", 0);
    }
    template(spec, "Always");
  }

  private static void job(ObjectNode spec) {
    putIfAbsent(spec, "backoffLimit", 6);
    putIfAbsent(spec, "completions", 1);
    putIfAbsent(spec, "parallelism", 1);
    putIfAbsent(spec, "completionMode", "NonIndexed");
    putIfAbsent(spec, "suspend", false);
    template(spec, "Never");
  }

  private static void cronJob(ObjectNode spec) {
    putIfAbsent(spec, "concurrencyPolicy", "Allow");
    putIfAbsent(spec, "suspend", false);
    putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
    putIfAbsent(spec, "failedJobsHistoryLimit", 1);
    if (spec.path("jobTemplate").get("spec") instanceof ObjectNode jobSpec) {
      job(jobSpec);
    }
  }

  private static void template(ObjectNode spec, String restartPolicy) {
    if (spec.path("template").get("spec") instanceof ObjectNode podSpec) {
      podSpec(podSpec, restartPolicy);
    }
  }

  private static void podSpec(ObjectNode spec, String restartPolicy) {
    putIfAbsent(spec, "restartPolicy", restartPolicy);
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          container(container);
        }
      }
    }
  }

  private static void container(ObjectNode c) {
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    putIfAbsent(c, "imagePullPolicy", defaultPullPolicy(c.path("image").asString("")));
    if (!c.has("resources")) {
      c.putObject("resources");
    }
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfAbsent(port, "protocol", "TCP");
      }
    }
  }

  /**
   * The pull policy the API server gives a container that sets none: {@code Always} when the
   * image's tag is {@code latest}, or when it has neither tag nor digest; else {@code IfNotPresent}
   * (core/v1 {@code SetDefaults_Container}).
   */
  public static String defaultPullPolicy(String image) {
    int at = image.indexOf('@');
    String named = at < 0 ? image : image.substring(0, at);
    int colon = named.lastIndexOf(':');
    String tag = colon > named.lastIndexOf('/') ? named.substring(colon + 1) : "";
    boolean latest = tag.equals("latest") || (tag.isEmpty() && at < 0);
    return latest ? "Always" : "IfNotPresent";
  }

  /** What admission adds to a Pod: the default tolerations and the service-account token volume. */
  private static void admitPod(ObjectNode spec) {
    putIfAbsent(spec, "serviceAccountName", "default");
    putIfAbsent(spec, "serviceAccount", spec.path("serviceAccountName").asString("default"));
    ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode t ? t : spec.putArray("tolerations");
    for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
      boolean present = false;
      for (JsonNode t : tolerations) {
        present |= key.equals(t.path("key").asString(""));
      }
      if (!present) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
            .put("tolerationSeconds", 300);
      }
    }
    String volume = "kube-api-access-" + Integer.toString(Math.abs(spec.path("containers").hashCode()) % 100_000, 36);
    ArrayNode volumes = spec.get("volumes") instanceof ArrayNode v ? v : spec.putArray("volumes");
    ObjectNode projected = volumes.addObject();
    projected.put("name", volume);
    ArrayNode sources = projected.putObject("projected").put("defaultMode", 420).putArray("sources");
    sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
    for (JsonNode c : spec.path("containers")) {
      if (c instanceof ObjectNode container) {
        ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode m ? m : container.putArray("volumeMounts");
        mounts.addObject().put("name", volume).put("readOnly", true)
            .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
      }
    }
  }

  private static void service(ObjectNode spec, Supplier<String> clusterIps) {
    String type = spec.path("type").asString("");
    if (type.isEmpty()) {
      type = "ClusterIP";
      spec.put("type", type);
    }
    if (!type.equals("ExternalName")) {
      putIfAbsent(spec, "sessionAffinity", "None");
      String ip = spec.path("clusterIP").asString("");
      if (ip.isEmpty()) {
        ip = clusterIps.get();
        spec.put("clusterIP", ip);
      }
      if (!spec.has("clusterIPs") || spec.path("clusterIPs").isEmpty()) {
        spec.putArray("clusterIPs").add(ip);
      }
      if (!spec.has("ipFamilies") || spec.path("ipFamilies").isEmpty()) {
        spec.putArray("ipFamilies").add("IPv4");
      }
      putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
      putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    }
    int nodePort = 30000 + Math.abs(spec.hashCode() % 2000);
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfAbsent(port, "protocol", "TCP");
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port").deepCopy());
        }
        if ((type.equals("NodePort") || type.equals("LoadBalancer")) && port.path("nodePort").asInt(0) == 0) {
          port.put("nodePort", nodePort++);
        }
      }
    }
  }

  /**
   * Quantities in canonical form and {@code omitempty} empties dropped, everywhere in the tree;
   * with {@code builtIn}, resource lists rounded up to milli units (core/v1 {@code SetDefaults_ResourceList}).
   */
  private static void canonical(ObjectNode node, @Nullable String field, @Nullable String parent, boolean builtIn) {
    List<String> names = new ArrayList<>(node.propertyNames());
    for (String name : names) {
      JsonNode v = node.get(name);
      if (v instanceof ObjectNode o) {
        canonical(o, name, field, builtIn);
        if (o.isEmpty() && MAP_FIELDS.contains(name)) {
          node.remove(name);
        }
      } else if (v instanceof ArrayNode a) {
        for (JsonNode e : a) {
          if (e instanceof ObjectNode o) {
            canonical(o, null, name, builtIn);
          }
        }
        if (a.isEmpty()) {
          node.remove(name);
        }
      } else if (v.isString() && v.stringValue().isEmpty() && !KEEP_EMPTY_VALUES_UNDER.contains(field)) {
        node.remove(name);
      } else if (field != null && QUANTITY_MAPS.contains(field) && (v.isNumber() || v.isString())) {
        Quantities.Quantity q = Quantities.parse(v);
        if (q != null) {
          node.put(name, (builtIn ? Quantities.toMilli(q) : q).canonical());
        }
      } else if ((name.equals("sizeLimit") || name.equals("storage")) && (v.isNumber() || v.isString())) {
        Quantities.Quantity q = Quantities.parse(v);
        if (q != null) {
          node.put(name, q.canonical());
        }
      }
    }
  }

  private static void putIfAbsent(ObjectNode node, String field, Object value) {
    if (node.has(field) && !node.get(field).isNull()) {
      return;
    }
    if (value instanceof Integer i) {
      node.put(field, i);
    } else if (value instanceof Boolean b) {
      node.put(field, b);
    } else {
      node.put(field, String.valueOf(value));
    }
  }
}
