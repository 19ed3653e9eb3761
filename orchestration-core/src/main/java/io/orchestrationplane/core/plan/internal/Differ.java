package io.orchestrationplane.core.plan.internal;

import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.internal.ListSemantics;
import io.orchestrationplane.core.resource.internal.Quantities;
import io.orchestrationplane.core.resource.internal.StoredForm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

/**
 * Compares a desired object with a live one in Kubernetes' terms. Only fields the plane sets
 * count; within them:
 * <ul>
 *   <li>quantities compare by value ({@code 0.5} = {@code 500m}, {@code 1024Mi} = {@code 1Gi}),
 *       rounded up to milli units in the resource lists of built-in kinds ({@code 0.0001} = {@code 1m});
 *   <li>a desired empty value (empty map, list or string, zero, false) equals its absence, which
 *       is how the API server stores it, and equals the default the server fills in for it
 *       ({@code protocol: ""} = {@code TCP}, a probe's {@code periodSeconds: 0} = {@code 10});
 *   <li>fields the server allocates when the desired value is empty (a Service's clusterIP,
 *       nodePorts) are not drift;
 *   <li>lists merged by key compare element by element on the key (so elements others added do
 *       not count, and the relative order of the plane's elements does); sets ignore others'
 *       elements; atomic lists compare whole;
 *   <li>a Secret's {@code stringData} compares with the stored {@code data}, and replaces what
 *       {@code data} gives for the same key, as the API server does;
 *   <li>a field the plane set last time (the applied-fields annotation) and sets no more is
 *       reported as removed.
 * </ul>
 * Secret data, and any value holding a sensitive value, appear as keyed digests. Thread-safe
 * for concurrent {@link #diff} calls; each call uses its own state.
 */
public final class Differ {
  private static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "generation",
      "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");
  private static final Set<String> DERIVED_ANNOTATIONS =
      Set.of(Ownership.CONTENT_HASH_ANNOTATION, Ownership.APPLIED_FIELDS_ANNOTATION);
  private static final String HASH_PATH = "metadata.annotations['" + Ownership.CONTENT_HASH_ANNOTATION + "']";
  /** The last field of every path {@code allocatedByServer} accepts. */
  private static final Set<String> SERVER_ALLOCATED = Set.of("clusterIP", "clusterIPs", "nodePort",
      "healthCheckNodePort", "ipFamilies", "ipFamilyPolicy", "volumeName", "nodeName");
  private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "hard", "capacity", "allocatable",
      "overhead", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio", "used");

  private final Redactor redactor;
  private final Set<String> sensitive;
  private final ListSemantics lists;

  public Differ(Redactor redactor, Set<String> sensitive, ListSemantics lists) {
    this.redactor = redactor;
    this.sensitive = sensitive;
    this.lists = lists;
  }

  /** A difference with the concrete paths it sits at in the desired and the live object. */
  public record Found(FieldDiff diff, List<Object> desiredPath, List<Object> livePath) {}

  /** The differences that matter. */
  public List<FieldDiff> diff(Resource desired, Resource live) {
    List<Found> found = find(desired, live);
    List<FieldDiff> out = new ArrayList<>(found.size());
    for (Found f : found) {
      out.add(f.diff());
    }
    return out;
  }

  /** The differences with their concrete paths, for ignore rules. */
  public List<Found> find(Resource desired, Resource live) {
    Walk w = new Walk(desired.groupKind(), desired.kind().equals("Secret") && desired.group().isEmpty());
    JsonNode d = desired.json();
    JsonNode l = live.json();
    for (Map.Entry<String, JsonNode> e : d.properties()) {
      String field = e.getKey();
      if (field.equals("status")) {
        continue;
      }
      w.path.pushField(field);
      if (field.equals("metadata")) {
        w.metadata(e.getValue(), l.path("metadata"));
      } else if (w.secret && field.equals("stringData")) {
        w.stringData(e.getValue(), l);
      } else if (w.secret && field.equals("data")) {
        w.compare(withoutLineBreaks(withoutStringDataKeys(e.getValue(), d.get("stringData"))), l.get(field), true);
      } else if (field.equals("binaryData") && desired.group().isEmpty() && desired.kind().equals("ConfigMap")) {
        w.compare(withoutLineBreaks(e.getValue()), l.get(field), false);
      } else {
        w.compare(e.getValue(), l.get(field), false);
      }
      w.path.pop();
    }
    w.removed(desired, live);
    if (w.out.isEmpty()) {
      // Every desired field matches and no removal is recorded, yet the content differs: an object
      // applied before the applied-fields annotation existed dropped a field. The hash shows it.
      String want = desired.annotation(Ownership.CONTENT_HASH_ANNOTATION);
      String have = live.annotation(Ownership.CONTENT_HASH_ANNOTATION);
      if (want != null && !want.equals(have) && live.annotation(Ownership.APPLIED_FIELDS_ANNOTATION) == null) {
        w.out.add(new Found(new FieldDiff(HASH_PATH, have == null ? null : StringNode.valueOf(have),
            StringNode.valueOf(want)), List.of("metadata", "annotations", Ownership.CONTENT_HASH_ANNOTATION),
            List.of("metadata", "annotations", Ownership.CONTENT_HASH_ANNOTATION)));
      }
    }
    return w.out;
  }

  /**
   * What an apply would change, from the API server's own answer: {@code after} is the object as
   * a server-side apply dry run of {@code desired} returned it, compared exactly with
   * {@code live} (server metadata and status aside). Every field that would change counts, those
   * the server would add or remove included; values are redacted as in {@link #find}.
   */
  public List<Found> serverSide(Resource desired, Resource after, Resource live) {
    Walk w = new Walk(desired.groupKind(), desired.kind().equals("Secret") && desired.group().isEmpty());
    w.exact(after.json(), live.json(), true);
    return w.out;
  }

  /** The state of one comparison. */
  private final class Walk {
    final GroupKind kind;
    final boolean secret;
    final Path path = new Path();
    final List<Found> out = new ArrayList<>(0);

    Walk(GroupKind kind, boolean secret) {
      this.kind = kind;
      this.secret = secret;
    }

    /** Both ways, exactly: fields only in {@code after} are additions, fields only in {@code live} removals. */
    void exact(JsonNode after, JsonNode live, boolean top) {
      if (after.isObject() && live != null && live.isObject()) {
        Set<String> names = new java.util.LinkedHashSet<>(after.propertyNames());
        names.addAll(live.propertyNames());
        for (String field : names) {
          if (top && field.equals("status")) {
            continue;
          }
          if (path.depth() == 1 && "metadata".equals(path.first()) && SERVER_METADATA.contains(field)) {
            continue;
          }
          path.pushField(field);
          boolean sensitiveHere = secret && path.depth() == 1 && (field.equals("data") || field.equals("stringData"));
          JsonNode a = after.get(field);
          JsonNode l = live.get(field);
          if (a == null || a.isNull()) {
            if (l != null && !l.isNull()) {
              out.add(new Found(new FieldDiff(path.render(), shown(l, sensitiveHere || inSecretData()), null),
                  path.concrete(false), path.concrete(true)));
            }
          } else if (l == null || l.isNull()) {
            add(null, a, sensitiveHere || inSecretData());
          } else {
            exact(a, l, false);
          }
          path.pop();
        }
        return;
      }
      if (after.isArray() && live != null && live.isArray() && !after.equals(live)) {
        ListSemantics.Rule rule = lists.of(kind, path::signature, path.lastField(), path.parentList());
        if (rule.type() == ListSemantics.Type.MAP || after.size() == live.size()) {
          String field = path.lastField();
          Map<String, Integer> liveIndex = new HashMap<>();
          for (int i = 0; i < live.size(); i++) {
            String k = rule.type() == ListSemantics.Type.MAP ? rule.keyOf(live.get(i)) : String.valueOf(i);
            if (k != null) {
              liveIndex.putIfAbsent(k, i);
            }
          }
          Set<String> seen = new java.util.HashSet<>();
          for (int i = 0; i < after.size(); i++) {
            String k = rule.type() == ListSemantics.Type.MAP ? rule.keyOf(after.get(i)) : String.valueOf(i);
            Integer at = k == null ? null : liveIndex.get(k);
            path.pushElement(k == null ? String.valueOf(i) : k, i, at == null ? -1 : at, field);
            if (at == null) {
              add(null, after.get(i), inSecretData());
            } else {
              seen.add(k);
              exact(after.get(i), live.get(at), false);
            }
            path.pop();
          }
          for (Map.Entry<String, Integer> e : liveIndex.entrySet()) {
            if (!seen.contains(e.getKey())) {
              path.pushElement(e.getKey(), -1, e.getValue(), field);
              out.add(new Found(new FieldDiff(path.render(), shown(live.get(e.getValue()), inSecretData()), null),
                  path.concrete(false), path.concrete(true)));
              path.pop();
            }
          }
          return;
        }
        add(live, after, inSecretData());
        return;
      }
      if (!after.equals(live) && !(after.isNumber() && live != null && live.isNumber() && sameScalar(after, live))) {
        add(live, after, inSecretData());
      }
    }

    private boolean inSecretData() {
      return secret && ("data".equals(path.first()) || "stringData".equals(path.first()));
    }

    private JsonNode shown(JsonNode value, boolean sensitiveHere) {
      return sensitiveHere || Redactor.containsAny(value, sensitive) ? redactor.redact(value) : value;
    }

    void metadata(JsonNode desired, JsonNode live) {
      for (Map.Entry<String, JsonNode> m : desired.properties()) {
        String key = m.getKey();
        if (SERVER_METADATA.contains(key)) {
          continue;
        }
        path.pushField(key);
        JsonNode liveValue = live.get(key);
        if (key.equals("annotations") && m.getValue().isObject()) {
          for (Map.Entry<String, JsonNode> a : m.getValue().properties()) {
            if (!DERIVED_ANNOTATIONS.contains(a.getKey())) {
              path.pushField(a.getKey());
              compare(a.getValue(), liveValue == null ? null : liveValue.get(a.getKey()), false);
              path.pop();
            }
          }
        } else {
          compare(m.getValue(), liveValue, false);
        }
        path.pop();
      }
    }

    /** A Secret's stringData: against stored stringData where a store keeps it, else against data. */
    void stringData(JsonNode desired, JsonNode live) {
      if (!desired.isObject()) {
        compare(desired, live.get("stringData"), true);
        return;
      }
      JsonNode liveStringData = live.path("stringData");
      JsonNode liveData = live.path("data");
      for (Map.Entry<String, JsonNode> e : desired.properties()) {
        path.pushField(e.getKey());
        JsonNode want = e.getValue();
        JsonNode have = liveStringData.get(e.getKey());
        if (have == null) {
          JsonNode encoded = liveData.get(e.getKey());
          have = encoded == null || !encoded.isString() ? null : decoded(encoded.stringValue());
        }
        compare(want, have, true);
        path.pop();
      }
    }

    void compare(JsonNode desired, @Nullable JsonNode live, boolean sensitiveHere) {
      if (desired == null || desired.isNull()) {
        return;
      }
      if (live == null || live.isNull() || live.isMissingNode()) {
        if (!isEmpty(desired)) {
          add(null, desired, sensitiveHere);
        }
        return;
      }
      if (mayBeAllocatedByServer() && isEmpty(desired) && allocatedByServer()) {
        return;
      }
      if (desired.isObject()) {
        if (!live.isObject()) {
          add(live, desired, sensitiveHere);
          return;
        }
        String signature = null;
        for (Map.Entry<String, JsonNode> e : desired.properties()) {
          JsonNode want = e.getValue();
          JsonNode have = live.get(e.getKey());
          if (have != null && want.isValueNode() && isEmpty(want)) {
            signature = signature == null ? path.signature() : signature;
            JsonNode filled = serverDefault(signature, e.getKey(), desired);
            if (filled != null && sameScalar(filled, have)) {
              continue; // the server stores its default for an empty value, and has it
            }
          }
          path.pushField(e.getKey());
          compare(want, have, sensitiveHere);
          path.pop();
        }
        return;
      }
      if (desired.isArray()) {
        if (!live.isArray()) {
          add(live, desired, sensitiveHere);
          return;
        }
        list((ArrayNode) desired, (ArrayNode) live, sensitiveHere);
        return;
      }
      if (sameScalar(desired, live)) {
        return;
      }
      if (isQuantityField() && Quantities.sameQuantity(desired, live, inBuiltInResourceList())) {
        return;
      }
      add(live, desired, sensitiveHere);
    }

    void list(ArrayNode desired, ArrayNode live, boolean sensitiveHere) {
      String field = path.lastField();
      ListSemantics.Rule rule = lists.of(kind, path::signature, field, path.parentList());
      switch (rule.type()) {
        case MAP -> keyed(rule, desired, live, sensitiveHere);
        case SET -> set(desired, live, sensitiveHere);
        default -> {
          if (desired.size() != live.size()) {
            add(live, desired, sensitiveHere);
            return;
          }
          for (int i = 0; i < desired.size(); i++) {
            path.pushElement(String.valueOf(i), i, i, field);
            compare(desired.get(i), live.get(i), sensitiveHere);
            path.pop();
          }
        }
      }
    }

    void keyed(ListSemantics.Rule rule, ArrayNode desired, ArrayNode live, boolean sensitiveHere) {
      String field = path.lastField();
      Map<String, Integer> liveIndex = new HashMap<>();
      for (int i = 0; i < live.size(); i++) {
        String k = rule.keyOf(live.get(i));
        if (k != null) {
          liveIndex.putIfAbsent(k, i);
        }
      }
      int lastIndex = -1;
      boolean ordered = true;
      for (int i = 0; i < desired.size(); i++) {
        JsonNode element = desired.get(i);
        String k = rule.keyOf(element);
        if (k == null) { // no key to match on: compare by position
          path.pushElement(String.valueOf(i), i, i, field);
          compare(element, i < live.size() ? live.get(i) : null, sensitiveHere);
          path.pop();
          continue;
        }
        Integer at = liveIndex.get(k);
        path.pushElement(k, i, at == null ? -1 : at, field);
        if (at == null) {
          add(null, element, sensitiveHere);
        } else {
          if (at < lastIndex) {
            ordered = false;
          }
          lastIndex = at;
          compare(element, live.get(at), sensitiveHere);
        }
        path.pop();
      }
      if (!ordered) {
        ArrayNode want = Json.JSON.getNodeFactory().arrayNode();
        ArrayNode have = Json.JSON.getNodeFactory().arrayNode();
        Set<String> ours = new java.util.HashSet<>();
        for (JsonNode e : desired) {
          String k = rule.keyOf(e);
          if (k != null && liveIndex.containsKey(k)) {
            want.add(k);
            ours.add(k);
          }
        }
        for (JsonNode e : live) {
          String k = rule.keyOf(e);
          if (k != null && ours.contains(k)) {
            have.add(k);
          }
        }
        add(have, want, false); // keys only: the order of the plane's elements changed
      }
    }

    void set(ArrayNode desired, ArrayNode live, boolean sensitiveHere) {
      String field = path.lastField();
      boolean[] used = new boolean[live.size()];
      for (int i = 0; i < desired.size(); i++) {
        JsonNode element = desired.get(i);
        int match = -1;
        for (int j = 0; j < live.size() && match < 0; j++) {
          if (!used[j] && subsetEquals(element, live.get(j))) {
            match = j;
          }
        }
        if (match >= 0) {
          used[match] = true;
        } else {
          path.pushElement(String.valueOf(i), i, -1, field);
          add(null, element, sensitiveHere);
          path.pop();
        }
      }
    }

    /** Fields the plane set last time (recorded in the live object's applied-fields annotation) and no longer sets. */
    void removed(Resource desired, Resource live) {
      String want = desired.annotation(Ownership.CONTENT_HASH_ANNOTATION);
      String have = live.annotation(Ownership.CONTENT_HASH_ANNOTATION);
      String last = live.annotation(Ownership.APPLIED_FIELDS_ANNOTATION);
      if (last == null || (want != null && want.equals(have))) {
        return; // same content as last applied: nothing was dropped
      }
      String now = desired.annotation(Ownership.APPLIED_FIELDS_ANNOTATION);
      JsonNode lastSkeleton;
      JsonNode nowSkeleton;
      try {
        lastSkeleton = Json.readJson(last);
        nowSkeleton = now == null ? JsonNodeFactory.instance.objectNode() : Json.readJson(now);
      } catch (IllegalArgumentException e) {
        return; // written by someone else: nothing is known to have been applied
      }
      Path p = new Path();
      dropped(p, lastSkeleton, nowSkeleton, live.json());
    }

    private void dropped(Path p, JsonNode last, JsonNode now, JsonNode liveNode) {
      if (!last.isObject() || liveNode == null) {
        return;
      }
      ListSemantics.Rule rule = liveNode.isArray()
          ? lists.of(kind, p::signature, p.lastField(), p.parentList()) : null;
      if (rule != null && rule.type() != ListSemantics.Type.MAP) {
        return; // recorded by key, now atomic: the list as a whole is compared already
      }
      for (Map.Entry<String, JsonNode> e : last.properties()) {
        String key = e.getKey();
        if (p.depth() == 2 && "annotations".equals(p.lastField()) && DERIVED_ANNOTATIONS.contains(key)) {
          continue;
        }
        JsonNode nowChild = now == null || !now.isObject() ? null : now.get(key);
        JsonNode liveChild = null;
        if (rule != null) {
          int liveIdx = -1;
          for (int i = 0; i < liveNode.size() && liveIdx < 0; i++) {
            if (key.equals(rule.keyOf(liveNode.get(i)))) {
              liveIdx = i;
              liveChild = liveNode.get(i);
            }
          }
          p.pushElement(key, -1, liveIdx, p.lastField());
        } else {
          liveChild = liveNode.get(key);
          p.pushField(key);
        }
        if (liveChild != null && !liveChild.isNull()) {
          if (nowChild == null) {
            boolean secretData = secret && ("data".equals(p.first()) || "stringData".equals(p.first()));
            JsonNode shown = secretData || Redactor.containsAny(liveChild, sensitive) ? redactor.redact(liveChild) : liveChild;
            out.add(new Found(new FieldDiff(p.render(), shown, null), p.concrete(false), p.concrete(true)));
          } else {
            dropped(p, e.getValue(), nowChild, liveChild);
          }
        }
        p.pop();
      }
    }

    /**
     * The value the API server stores for {@code field} of the object at {@code signature}
     * ({@code parent}) when the desired value is empty ({@code ""} or {@code 0}), for the defaults of
     * kubernetes pkg/apis/core/v1/defaults.go that the API server applies to an empty value: a
     * container's pull policy and termination message, a container or Service port's protocol, a
     * Service port's target port, a probe's timings, an HTTP get's path and scheme, a pod's DNS
     * policy, restart policy and scheduler, a Service's type and session affinity, a persistent
     * volume's reclaim policy. Null when the server keeps the empty value.
     */
    private @Nullable JsonNode serverDefault(String signature, String field, JsonNode parent) {
      String group = kind.group();
      if (!(group.isEmpty() || group.equals("apps") || group.equals("batch"))) {
        return null;
      }
      boolean service = group.isEmpty() && kind.kind().equals("Service");
      String value = null;
      if (signature.endsWith("ontainers[]")) {
        value = switch (field) {
          case "imagePullPolicy" -> StoredForm.defaultPullPolicy(parent.path("image").asString(""));
          case "terminationMessagePath" -> "/dev/termination-log";
          case "terminationMessagePolicy" -> "File";
          default -> null;
        };
      } else if (signature.endsWith("ontainers[].ports[]") || (service && signature.equals("spec.ports[]"))) {
        if (field.equals("protocol")) {
          value = "TCP";
        } else if (service && field.equals("targetPort") && parent.path("port").isIntegralNumber()) {
          return parent.get("port");
        }
      } else if (signature.endsWith("Probe")) {
        int seconds = switch (field) {
          case "timeoutSeconds", "successThreshold" -> 1;
          case "periodSeconds" -> 10;
          case "failureThreshold" -> 3;
          default -> 0;
        };
        return seconds == 0 ? null : JsonNodeFactory.instance.numberNode(seconds);
      } else if (signature.endsWith(".httpGet")) {
        value = field.equals("path") ? "/" : field.equals("scheme") ? "HTTP" : null;
      } else if (signature.equals("spec") && service) {
        value = field.equals("type") ? "ClusterIP" : field.equals("sessionAffinity") ? "None" : null;
      } else if (signature.equals("spec") && group.isEmpty() && kind.kind().equals("PersistentVolume")) {
        value = field.equals("persistentVolumeReclaimPolicy") ? "Retain" : null;
      } else if (signature.endsWith("template.spec") || (signature.equals("spec") && group.isEmpty()
          && kind.kind().equals("Pod"))) {
        value = switch (field) {
          case "dnsPolicy" -> "ClusterFirst";
          case "restartPolicy" -> "Always";
          case "schedulerName" -> "default-scheduler";
          default -> null;
        };
      }
      return value == null ? null : StringNode.valueOf(value);
    }

    /** False when the field being compared cannot be one {@link #allocatedByServer} names: no path to build. */
    private boolean mayBeAllocatedByServer() {
      return path.depth() > 0 && path.segments[path.depth - 1] instanceof String f && SERVER_ALLOCATED.contains(f);
    }

    private boolean allocatedByServer() {
      String sig = path.signature();
      if (kind.group().isEmpty() && kind.kind().equals("Service")) {
        return sig.equals("spec.clusterIP") || sig.equals("spec.clusterIPs") || sig.equals("spec.ports[].nodePort")
            || sig.equals("spec.healthCheckNodePort") || sig.equals("spec.ipFamilies") || sig.equals("spec.ipFamilyPolicy");
      }
      if (kind.group().isEmpty() && kind.kind().equals("PersistentVolumeClaim")) {
        return sig.equals("spec.volumeName");
      }
      return sig.endsWith("spec.nodeName");
    }

    /**
     * A value of a resource list (requests, limits, a quota's hard, a LimitRange's bounds, a PV's
     * capacity) in a kind the API server defaults with core/v1's rules, which round those values up
     * to milli units; custom resources are stored as written.
     */
    private boolean inBuiltInResourceList() {
      String group = kind.group();
      String parent = path.parentField();
      return (group.isEmpty() || group.equals("apps") || group.equals("batch"))
          && parent != null && QUANTITY_MAPS.contains(parent);
    }

    private boolean isQuantityField() {
      String field = path.lastField();
      String parent = path.parentField();
      if (parent != null && QUANTITY_MAPS.contains(parent)) {
        return true;
      }
      return "sizeLimit".equals(field) || "storage".equals(field)
          || (("value".equals(field) || "averageValue".equals(field)) && ("target".equals(parent) || "current".equals(parent)));
    }

    private void add(@Nullable JsonNode live, JsonNode desired, boolean sensitiveHere) {
      boolean hide = sensitiveHere || Redactor.containsAny(desired, sensitive)
          || (live != null && Redactor.containsAny(live, sensitive));
      JsonNode before = live == null ? null : hide ? redactor.redact(live) : live;
      JsonNode after = hide ? redactor.redact(desired) : desired;
      out.add(new Found(new FieldDiff(path.render(), before, after), path.concrete(false), path.concrete(true)));
    }
  }

  /**
   * A Secret's desired data without the keys its stringData sets: the API server writes
   * stringData's values over data's (v1 to internal Secret conversion), so those keys are
   * compared through stringData alone.
   */
  private static JsonNode withoutStringDataKeys(JsonNode data, @Nullable JsonNode stringData) {
    if (!(data instanceof tools.jackson.databind.node.ObjectNode object) || stringData == null || !stringData.isObject()
        || stringData.isEmpty()) {
      return data;
    }
    tools.jackson.databind.node.ObjectNode kept = object.deepCopy();
    for (String key : stringData.propertyNames()) {
      kept.remove(key);
    }
    return kept;
  }

  /**
   * Base64 values (a Secret's data, a ConfigMap's binaryData) without line breaks: the API server
   * decodes them as Go's base64 does, ignoring {@code \r} and {@code \n}, and stores them
   * re-encoded on one line.
   */
  private static JsonNode withoutLineBreaks(JsonNode values) {
    if (!(values instanceof tools.jackson.databind.node.ObjectNode object)) {
      return values;
    }
    tools.jackson.databind.node.ObjectNode out = null;
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      JsonNode v = e.getValue();
      if (v.isString() && (v.stringValue().indexOf('\n') >= 0 || v.stringValue().indexOf('\r') >= 0)) {
        out = out == null ? object.deepCopy() : out;
        out.put(e.getKey(), v.stringValue().replace("\r", "").replace("\n", ""));
      }
    }
    return out == null ? values : out;
  }

  private static JsonNode decoded(String base64) {
    try {
      return StringNode.valueOf(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return StringNode.valueOf(base64); // not base64: compare as stored
    }
  }

  /** The empty values the API server drops when it stores an object (JSON {@code omitempty}). */
  static boolean isEmpty(JsonNode n) {
    if (n == null || n.isNull()) {
      return true;
    }
    if (n.isContainer()) {
      for (JsonNode child : n) {
        if (!isEmpty(child)) {
          return false;
        }
      }
      return true;
    }
    if (n.isString()) {
      return n.stringValue().isEmpty();
    }
    if (n.isBoolean()) {
      return !n.booleanValue();
    }
    if (n.isDouble() || n.isFloat()) {
      return n.doubleValue() == 0; // also for values no decimal holds (infinities)
    }
    return n.isNumber() && n.decimalValue().signum() == 0;
  }

  /** True when every field {@code desired} sets has the same value in {@code live}. */
  static boolean subsetEquals(JsonNode desired, JsonNode live) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (live == null || live.isNull()) {
      return isEmpty(desired);
    }
    if (desired.isObject()) {
      if (!live.isObject()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : desired.properties()) {
        if (!subsetEquals(e.getValue(), live.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!live.isArray() || live.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!subsetEquals(desired.get(i), live.get(i))) {
          return false;
        }
      }
      return true;
    }
    return sameScalar(desired, live);
  }

  static boolean sameScalar(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() && b.isIntegralNumber()) {
        return a.asLong() == b.asLong();
      }
      if (!Double.isFinite(a.doubleValue()) || !Double.isFinite(b.doubleValue())) {
        return a.doubleValue() == b.doubleValue(); // no decimal holds an infinity
      }
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /**
   * The segments from the root to the node being compared: field names, and list elements with
   * their label ({@code name=api} or an index) and their index in the desired and live lists.
   */
  static final class Path {
    private Object[] segments = new Object[16];
    private int depth;

    record Element(String label, int desiredIndex, int liveIndex, @Nullable String listField) {}

    void pushField(String field) {
      push(field);
    }

    void pushElement(String label, int desiredIndex, int liveIndex, @Nullable String listField) {
      push(new Element(label, desiredIndex, liveIndex, listField));
    }

    private void push(Object segment) {
      if (depth == segments.length) {
        segments = Arrays.copyOf(segments, depth * 2);
      }
      segments[depth++] = segment;
    }

    void pop() {
      segments[--depth] = null;
    }

    int depth() {
      return depth;
    }

    @Nullable Object first() {
      return depth == 0 ? null : segments[0];
    }

    /** The closest field name (the list's own name when at a list). */
    @Nullable String lastField() {
      for (int i = depth - 1; i >= 0; i--) {
        if (segments[i] instanceof String s) {
          return s;
        }
      }
      return null;
    }

    /** The field name before the last one (skipping list elements). */
    @Nullable String parentField() {
      boolean seen = false;
      for (int i = depth - 1; i >= 0; i--) {
        if (segments[i] instanceof String s) {
          if (seen) {
            return s;
          }
          seen = true;
        }
      }
      return null;
    }

    /** The list field of the closest enclosing list element, or null. */
    @Nullable String parentList() {
      for (int i = depth - 1; i >= 0; i--) {
        if (segments[i] instanceof Element e) {
          return e.listField();
        }
      }
      return null;
    }

    /** {@code spec.template.spec.containers[].ports}. */
    String signature() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        if (segments[i] instanceof String s) {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append(s);
        } else {
          sb.append("[]");
        }
      }
      return sb.toString();
    }

    /** Field names and list indexes, desired-side or live-side. */
    List<Object> concrete(boolean liveSide) {
      List<Object> out = new ArrayList<>(depth);
      for (int i = 0; i < depth; i++) {
        if (segments[i] instanceof Element e) {
          out.add(liveSide ? e.liveIndex() : e.desiredIndex());
        } else {
          out.add(segments[i]);
        }
      }
      return out;
    }

    /** {@code spec.template.spec.containers[name=api].image}, {@code metadata.labels['app.kubernetes.io/name']}. */
    String render() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        Object s = segments[i];
        if (s instanceof Element e) {
          sb.append('[').append(e.label()).append(']');
        } else {
          String field = (String) s;
          boolean plain = !field.isEmpty()
              && field.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '-');
          if (!plain) {
            sb.append("['").append(field).append("']");
          } else {
            sb.append(i == 0 ? "" : ".").append(field);
          }
        }
      }
      return sb.toString();
    }
  }
}
