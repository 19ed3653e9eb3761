package io.orchestrationplane.core.resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the plane records on each cluster about what an application wrote there, in the style of
 * kubectl's ApplySet (KEP-3659): a parent ConfigMap in the application's namespace, labelled with
 * the set's id and annotated with the group-kinds and namespaces its members span, while every
 * member carries the ownership labels and {@code applyset.kubernetes.io/part-of}. With it the
 * planner finds every kind the application ever wrote, custom kinds included, after a restart,
 * a failed listing or a changed type registry: prune never guesses.
 *
 * <p>The planner keeps the record ahead of the writes: before it writes members of a kind on a
 * cluster, the parent already names that kind (the parent's change runs before every member
 * change but Namespaces); kinds are dropped from the record only when the parent is written for
 * another reason, and the parent is deleted after its last member.
 */
public final class Inventory {
  /** {@code applyset.kubernetes.io/id} on the parent. */
  public static final String ID_LABEL = "applyset.kubernetes.io/id";
  /** {@code applyset.kubernetes.io/part-of} on every member. */
  public static final String PART_OF_LABEL = "applyset.kubernetes.io/part-of";
  /** {@code applyset.kubernetes.io/contains-group-kinds} on the parent: {@code Deployment.apps,Service}. */
  public static final String GROUP_KINDS_ANNOTATION = "applyset.kubernetes.io/contains-group-kinds";
  /** {@code applyset.kubernetes.io/additional-namespaces} on the parent. */
  public static final String NAMESPACES_ANNOTATION = "applyset.kubernetes.io/additional-namespaces";
  /** {@code applyset.kubernetes.io/tooling} on the parent. */
  public static final String TOOLING_ANNOTATION = "applyset.kubernetes.io/tooling";
  /** {@code orchestrationplane.io/inventory: "true"} marks the parent among the application's objects. */
  public static final String INVENTORY_LABEL = "orchestrationplane.io/inventory";
  /** The parent's kind. */
  public static final GroupKind PARENT_KIND = new GroupKind("", "ConfigMap");
  /** How every parent's name starts; no application may render a ConfigMap named so. */
  public static final String PARENT_NAME_PREFIX = "orchestration-plane-inventory.";

  private static final String TOOLING = "orchestration-plane/v1";
  private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");
  private static final Pattern GROUP = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Inventory() {}

  /** The namespace of an application id {@code <namespace>.<name>}. */
  public static String namespaceOf(String applicationId) {
    int dot = applicationId.indexOf('.');
    return dot < 0 ? "default" : applicationId.substring(0, dot);
  }

  /** The parent's name for an application id. */
  public static String parentName(String applicationId) {
    int dot = applicationId.indexOf('.');
    return PARENT_NAME_PREFIX + (dot < 0 ? applicationId : applicationId.substring(dot + 1));
  }

  /** The parent's key on a cluster. */
  public static ResourceKey parentKey(String cluster, String applicationId) {
    return new ResourceKey(cluster, "", "ConfigMap", namespaceOf(applicationId), parentName(applicationId));
  }

  /** The ApplySet id: {@code applyset-<base64url(sha256(name.namespace.ConfigMap.))>-v1}. */
  public static String applySetId(String applicationId) {
    String input = parentName(applicationId) + "." + namespaceOf(applicationId) + ".ConfigMap.";
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return "applyset-" + Base64.getUrlEncoder().withoutPadding().encodeToString(d) + "-v1";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** True when the object is labelled as an application's inventory parent. */
  public static boolean isParent(Resource r) {
    return "true".equals(r.label(INVENTORY_LABEL)) && r.groupKind().equals(PARENT_KIND);
  }

  /**
   * True when the object is this application's parent: labelled so, owned by the application,
   * and at the parent's name and namespace. A copy of its labels on another ConfigMap is not it.
   */
  public static boolean isParentOf(Resource r, String applicationId) {
    return isParent(r) && Ownership.isOwnedBy(r, applicationId) && parentName(applicationId).equals(r.name())
        && namespaceOf(applicationId).equals(r.namespace());
  }

  /**
   * The group-kinds a parent records. Entries that cannot name a Kubernetes kind (an empty kind,
   * a kind that is not alphanumeric or longer than 63 characters, a group that is not a DNS
   * subdomain) were not written by the plane and are left out.
   */
  public static Set<GroupKind> recordedKinds(Resource parent) {
    Set<GroupKind> out = new LinkedHashSet<>();
    String text = parent.annotation(GROUP_KINDS_ANNOTATION);
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String gk : text.split(",")) {
      String t = gk.trim();
      if (t.isEmpty()) {
        continue;
      }
      int dot = t.indexOf('.');
      String kind = dot < 0 ? t : t.substring(0, dot);
      String group = dot < 0 ? "" : t.substring(dot + 1);
      if (KIND.matcher(kind).matches() && (group.isEmpty() || GROUP.matcher(group).matches())) {
        out.add(new GroupKind(group, kind));
      }
    }
    return out;
  }

  /** The namespaces a parent records besides its own. */
  public static Set<String> recordedNamespaces(Resource parent) {
    Set<String> out = new TreeSet<>();
    String text = parent.annotation(NAMESPACES_ANNOTATION);
    if (text != null) {
      for (String ns : text.split(",")) {
        if (!ns.isBlank()) {
          out.add(ns.trim());
        }
      }
    }
    return out;
  }

  /** The parent recording these kinds and namespaces, as the plane writes it. */
  public static Resource parent(String applicationId, Collection<GroupKind> kinds, Collection<String> namespaces) {
    String ns = namespaceOf(applicationId);
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("apiVersion", "v1");
    tree.put("kind", "ConfigMap");
    ObjectNode m = tree.putObject("metadata");
    m.put("name", parentName(applicationId));
    m.put("namespace", ns);
    ObjectNode labels = m.putObject("labels");
    labels.put(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER);
    labels.put(Ownership.APPLICATION_LABEL, applicationId);
    labels.put(INVENTORY_LABEL, "true");
    labels.put(ID_LABEL, applySetId(applicationId));
    ObjectNode annotations = m.putObject("annotations");
    annotations.put(TOOLING_ANNOTATION, TOOLING);
    annotations.put(GROUP_KINDS_ANNOTATION, format(kinds));
    Set<String> others = new TreeSet<>(namespaces);
    others.remove(ns);
    others.remove("");
    if (!others.isEmpty()) {
      annotations.put(NAMESPACES_ANNOTATION, String.join(",", others));
    }
    return Resource.of(tree);
  }

  /** {@code Deployment.apps,Service}: sorted, {@code Kind.group} (the group left out for core). */
  public static String format(Collection<GroupKind> kinds) {
    Set<String> out = new TreeSet<>();
    for (GroupKind gk : kinds) {
      out.add(gk.group().isEmpty() ? gk.kind() : gk.kind() + "." + gk.group());
    }
    return String.join(",", out);
  }

  /** True when {@code recorded} names every kind and namespace of {@code needed}. */
  public static boolean covers(Resource recorded, Collection<GroupKind> kinds, Collection<String> namespaces) {
    if (!recordedKinds(recorded).containsAll(kinds)) {
      return false;
    }
    Set<String> have = recordedNamespaces(recorded);
    have.add(namespaceOf(recorded.label(Ownership.APPLICATION_LABEL) == null ? "" : recorded.label(Ownership.APPLICATION_LABEL)));
    for (String ns : namespaces) {
      if (!ns.isEmpty() && !have.contains(ns)) {
        return false;
      }
    }
    return true;
  }

}
