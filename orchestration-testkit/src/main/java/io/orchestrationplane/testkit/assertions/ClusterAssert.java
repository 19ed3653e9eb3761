package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.testkit.assertions.internal.KindNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a cluster holds; a failure lists the objects of the kind asked for.
 *
 * <pre>{@code
 * assertThat(prod).hasResource("Deployment", "shop/api")
 *     .withLabel("app.kubernetes.io/name", "api").withField("spec.replicas", 3);
 * assertThat(prod).doesNotHave("Ingress", "shop/api");
 * }</pre>
 *
 * <p>Kinds are written {@code "Deployment"} for well-known kinds or {@code "group/Kind"} ({@code
 * "example.com/Widget"}); on an {@code InMemoryCluster} a bare custom kind is found too.
 */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, ClusterDriver> {
  ClusterAssert(ClusterDriver actual) {
    super(actual, ClusterAssert.class);
  }

  /** The cluster holds that object; continue on it. */
  public ResourceAssert hasResource(String kind, String namespacedName) {
    isNotNull();
    Optional<Resource> found = find(kind, namespacedName);
    if (found.isEmpty()) {
      failWithMessage("%s", "Expected cluster " + actual.name() + " to have " + kind + " " + namespacedName
          + ", but it does not. " + inventory(kind));
    }
    return new ResourceAssert(found.get(), "in cluster " + actual.name());
  }

  /** The cluster does not hold that object. */
  public ClusterAssert doesNotHave(String kind, String namespacedName) {
    isNotNull();
    Optional<Resource> found = find(kind, namespacedName);
    if (found.isPresent()) {
      failWithMessage("%s", "Expected cluster " + actual.name() + " not to have " + kind + " " + namespacedName
          + ", but it does:\n" + found.get().toYaml());
    }
    return this;
  }

  /** The cluster holds exactly {@code count} objects of that kind. */
  public ClusterAssert hasResourceCount(String kind, int count) {
    isNotNull();
    List<Resource> all = list(kind);
    if (all.size() != count) {
      failWithMessage("%s", "Expected cluster " + actual.name() + " to have " + count + " " + kind + " object(s), but it has "
          + all.size() + ". " + inventory(kind));
    }
    return this;
  }

  private Optional<Resource> find(String kind, String namespacedName) {
    Optional<GroupKind> gk = groupKind(kind);
    if (gk.isEmpty()) {
      return Optional.empty();
    }
    ResourceKey key = KindNames.key(actual.name(), gk.get(), namespacedName);
    return actual.get(key);
  }

  private List<Resource> list(String kind) {
    return groupKind(kind).map(gk -> actual.list(gk, null, Map.of())).orElse(List.of());
  }

  private Optional<GroupKind> groupKind(String kind) {
    Optional<GroupKind> known = KindNames.groupKind(kind);
    if (known.isPresent()) {
      return known;
    }
    if (actual instanceof InMemoryCluster memory) {
      return memory.all().stream().filter(r -> r.kind().equals(kind)).map(Resource::groupKind).findFirst();
    }
    throw new IllegalArgumentException("kind " + kind + " is not a well-known kind; write it with its group, e.g. "
        + "\"example.com/" + kind + "\"");
  }

  private String inventory(String kind) {
    List<Resource> all = list(kind);
    if (all.isEmpty()) {
      return "It has no " + kind + " at all.";
    }
    return "Its " + kind + " objects: " + all.stream().map(r -> r.namespace() == null || r.namespace().isEmpty()
        ? r.name() : r.namespace() + "/" + r.name()).collect(Collectors.joining(", "));
  }
}
