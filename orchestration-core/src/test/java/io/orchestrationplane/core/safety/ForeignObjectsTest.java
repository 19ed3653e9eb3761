package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 12, item 1: the plane never deletes, overwrites or takes over an object it does not own,
 * whatever happens between planning and writing: the object is replaced, edited or created by
 * someone else at the last moment, or the read that should vouch for it fails.
 */
class ForeignObjectsTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();
  private final InMemoryCluster other = InMemoryCluster.builder("dr").clock(clock).build();

  static Application app(String... configs) {
    return owned("plane", configs);
  }

  static Application owned(String owner, String... configs) {
    Application.Builder b = Application.builder("shop").namespace("shop");
    StringBuilder manifests = new StringBuilder();
    for (String name : configs) {
      manifests.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ").append(name)
          .append("}\ndata: {owner: ").append(owner).append("}\n");
    }
    return b.component(Component.builder("config", "k8s-objects").property("manifests", manifests.toString()).build())
        .build();
  }

  private static ResourceKey config(String cluster, String name) {
    return ResourceKey.of(cluster, "", "ConfigMap", "shop", name);
  }

  /** An unlabelled object of the same name, as another tool would make it. */
  private static Resource foreign(String name) {
    return Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: shop}
        data: {owner: someone-else}
        """.formatted(name));
  }

  @Test
  void aCreateNeverOverwritesAnObjectThatAppearedAfterPlanning() {
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
    Plan plan = plane.plan(app("a", "b"));
    assertThat(plan.creates()).hasSize(2);
    // Someone else creates "b" between the plan and the apply, after the plane's freshness check.
    ClusterDriver racing = new Racing(cluster, 2, key -> key.name().equals("b") ? () -> cluster.apply(foreign("b")) : null);
    OrchestrationPlane writer = OrchestrationPlane.builder().clock(clock).cluster(racing).build();
    ExecutionResult result = writer.apply(writer.plan(app("a", "b")));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failure()).hasValueSatisfying(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.CONFLICT);
      assertThat(o.message()).contains("ConfigMap shop/b").contains("appeared since planning and is left alone");
    });
    assertThat(cluster.get(config("prod", "b")).orElseThrow().at("/data/owner").asString())
        .as("the other writer's object is untouched").isEqualTo("someone-else");
    assertThat(cluster.get(config("prod", "b")).orElseThrow().label(Ownership.MANAGED_BY_LABEL)).isNull();
  }

  @Test
  void aPruneNeverDeletesAnObjectReplacedAfterTheCheck() {
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
    plane.apply(app("a", "b"));
    // "b" is deleted and created again (same name, same labels, new uid) right after the check.
    Resource ours = cluster.get(config("prod", "b")).orElseThrow();
    Resource again = ours.edit(t -> {
      t.remove("status");
      ((ObjectNode) t.get("metadata")).remove(List.of("uid", "resourceVersion", "generation", "creationTimestamp"));
      ((ObjectNode) t.get("data")).put("owner", "recreated-by-someone");
    });
    ClusterDriver racing = new Racing(cluster, 1, key -> key.name().equals("b") ? () -> {
      cluster.delete(key);
      cluster.apply(again);
    } : null);
    OrchestrationPlane writer = OrchestrationPlane.builder().clock(clock).cluster(racing).build();
    ExecutionResult result = writer.apply(writer.plan(app("a")));

    assertThat(result.failure()).hasValueSatisfying(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.CONFLICT);
      assertThat(o.message()).contains("delete refused").contains("changed since planning");
    });
    assertThat(cluster.get(config("prod", "b")).orElseThrow().at("/data/owner").asString())
        .isEqualTo("recreated-by-someone");
  }

  @Test
  void aDeleteCarriesTheUidAndResourceVersionItChecked() {
    cluster.apply(foreign("x"));
    Resource live = cluster.get(config("prod", "x")).orElseThrow();
    cluster.update(live.edit(t -> ((ObjectNode) t.get("data")).put("owner", "edited")));
    // The version read first is stale now: the delete is refused and nothing is deleted.
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ClusterException.class,
        () -> cluster.delete(live.key("prod"), Preconditions.of(live))).reason())
        .isEqualTo(ClusterException.Reason.CONFLICT);
    assertThat(cluster.get(config("prod", "x"))).isPresent();
    assertThat(cluster.delete(live.key("prod"), new Preconditions(live.uid(), null))).isTrue();
  }

  @Test
  void anUpdateOfAnObjectHandedToAnotherToolAfterPlanningIsRefused() {
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
    plane.apply(app("a"));
    Plan update = plane.plan(owned("plane-v2", "a"));
    assertThat(update.updates()).hasSize(1);
    Resource live = cluster.get(config("prod", "a")).orElseThrow();
    cluster.update(live.edit(t -> ((ObjectNode) t.at("/metadata/labels")).put(Ownership.MANAGED_BY_LABEL, "helm")));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> plane.apply(update)))
        .isInstanceOf(io.orchestrationplane.core.apply.StalePlanException.class)
        .hasMessageContaining("ConfigMap shop/a on cluster prod").hasMessageContaining("no longer managed by the plane");
    assertThat(cluster.get(config("prod", "a")).orElseThrow().at("/data/owner").asString()).isEqualTo("plane");
  }

  @Test
  void aWriteWhoseFreshnessReadFailsFailsAndTheOtherClustersStillConverge() {
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).cluster(other).build();
    plane.apply(app("a", "b"));
    Plan prune = plane.plan(app("a"));
    assertThat(prune.deletes()).hasSize(2);
    // Reads of "b" on prod fail with a server error from now on: its delete cannot be checked.
    ClusterDriver failingReads = new Racing(cluster, 1, key -> null) {
      @Override
      public Optional<Resource> get(ResourceKey key) {
        if (key.name().equals("b")) {
          throw ClusterException.serverError(name(), "etcdserver: request timed out");
        }
        return super.get(key);
      }
    };
    OrchestrationPlane writer = OrchestrationPlane.builder().clock(clock).cluster(failingReads).cluster(other).build();
    ExecutionResult result = writer.apply(writer.plan(app("a")));

    assertThat(result.succeeded("prod")).isFalse();
    assertThat(result.failure()).hasValueSatisfying(o -> assertThat(o.message())
        .contains("ConfigMap shop/b (cluster prod)").contains("could not read it first").contains("nothing written"));
    assertThat(cluster.get(config("prod", "b"))).as("not deleted unverified").isPresent();
    assertThat(result.succeeded("dr")).as("a failure stays on its cluster").isTrue();
    assertThat(other.get(config("dr", "b"))).isEmpty();
  }

  @Test
  void stopOnFirstFailureStopsEveryCluster() {
    // Changes run in wave order, clusters by name within a wave: "dr" comes first and fails.
    ClusterDriver refusing = new Racing(other, 1, key -> null) {
      @Override
      public Resource create(Resource object) {
        throw ClusterException.serverError(name(), "admission webhook timed out");
      }
    };
    OrchestrationPlane writer = OrchestrationPlane.builder().clock(clock).cluster(cluster).cluster(refusing)
        .stopOnFirstFailure(true).build();
    ExecutionResult result = writer.apply(writer.plan(app("a")));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.failure().orElseThrow().cluster()).isEqualTo("dr");
    assertThat(result.outcomes(Outcome.Status.SKIPPED)).as("the rest of dr, and all of prod")
        .anyMatch(o -> o.cluster().equals("prod")).allMatch(o -> o.message().contains("(cluster dr) failed first"));
    assertThat(cluster.size()).isZero();
  }

  @Test
  void theDefaultCreateAndDeleteOfACustomDriverAreGuardedToo() {
    // A user's driver that implements only the basic calls still never upserts over an object
    // or deletes one that moved, through the SPI's default create and delete-with-preconditions.
    ClusterDriver basic = new Basic(cluster);
    basic.apply(foreign("y"));
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ClusterException.class,
        () -> basic.create(foreign("y"))).reason()).isEqualTo(ClusterException.Reason.ALREADY_EXISTS);
    Resource live = basic.get(config("prod", "y")).orElseThrow();
    cluster.update(live.edit(t -> ((ObjectNode) t.get("data")).put("owner", "moved")));
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ClusterException.class,
        () -> basic.delete(config("prod", "y"), Preconditions.of(live))).reason())
        .isEqualTo(ClusterException.Reason.CONFLICT);
    assertThat(cluster.get(config("prod", "y"))).isPresent();
  }

  /**
   * Passes every call through; the {@code nth} read of a chosen object is followed by an action
   * (a write by someone else): with the right n, just after the plane's check and before its write.
   */
  static class Racing implements ClusterDriver {
    private final InMemoryCluster delegate;
    private final int nth;
    private final java.util.function.Function<ResourceKey, Runnable> after;
    private final Map<ResourceKey, Integer> reads = new java.util.concurrent.ConcurrentHashMap<>();

    Racing(InMemoryCluster delegate, int nth, java.util.function.Function<ResourceKey, Runnable> after) {
      this.delegate = delegate;
      this.nth = nth;
      this.after = after;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Optional<Resource> get(ResourceKey key) {
      Optional<Resource> r = delegate.get(key);
      Runnable then = after.apply(key);
      if (then != null && reads.merge(key, 1, Integer::sum) == nth) {
        then.run();
      }
      return r;
    }

    @Override
    public List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels) {
      return delegate.list(kind, namespace, labels);
    }

    @Override
    public Resource apply(Resource desired) {
      return delegate.apply(desired);
    }

    @Override
    public Resource create(Resource object) {
      return delegate.create(object);
    }

    @Override
    public Resource updateStatus(Resource withStatus) {
      return delegate.updateStatus(withStatus);
    }

    @Override
    public boolean delete(ResourceKey key) {
      return delegate.delete(key);
    }

    @Override
    public boolean delete(ResourceKey key, Preconditions preconditions) {
      return delegate.delete(key, preconditions);
    }

    @Override
    public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
      return delegate.watch(kinds, listener);
    }
  }

  /** A driver with only the SPI's required methods. */
  static final class Basic implements ClusterDriver {
    private final InMemoryCluster delegate;

    Basic(InMemoryCluster delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Optional<Resource> get(ResourceKey key) {
      return delegate.get(key);
    }

    @Override
    public List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels) {
      return delegate.list(kind, namespace, labels);
    }

    @Override
    public Resource apply(Resource desired) {
      return delegate.apply(desired);
    }

    @Override
    public Resource updateStatus(Resource withStatus) {
      return delegate.updateStatus(withStatus);
    }

    @Override
    public boolean delete(ResourceKey key) {
      return delegate.delete(key);
    }

    @Override
    public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
      return delegate.watch(kinds, listener);
    }
  }
}
