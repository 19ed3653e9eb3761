package io.orchestrationplane.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException.Reason;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contract of {@link ClusterDriver}, as tests that any driver must pass: subclass it, hand it
 * a driver of an empty cluster for each test, and run it with JUnit Jupiter.
 *
 * <pre>{@code
 * class MyClusterConformanceTest extends ClusterDriverConformance {
 *   @Override
 *   protected ClusterDriver createDriver() {
 *     return new MyCluster("conformance");
 *   }
 * }
 * }</pre>
 *
 * <p>The tests follow the API server's guarantees that the plane relies on (docs/safety.md,
 * docs/drivers.md): a create never overwrites; deletes honour uid and resourceVersion
 * preconditions; writes carrying a stale resourceVersion are conflicts; apply keeps what other
 * writers set; lists are sorted and select by namespace and labels; cluster-scoped objects have no
 * namespace; finalizers hold a deleted object until they are removed; watches start with the
 * current state and deliver each object's changes in order; and an API server's errors become the
 * {@link ClusterException.Reason}s core documents. A driver that talks to a server overrides
 * {@link #failEveryRequest} so the error cases run; without it they are skipped, saying why.
 *
 * <p>The kit writes ConfigMaps, Services, HorizontalPodAutoscalers (autoscaling/v2) and
 * ClusterRoles into the namespaces {@value #NAMESPACE_A} and {@value #NAMESPACE_B} (it applies
 * the Namespace objects first), every object labelled {@value #SUITE_LABEL}; it expects none of
 * them to exist when a test starts. Tests wait for watch events up to {@link #eventTimeout()},
 * which only bounds a failing test. Each test gets its own driver from {@link #createDriver()},
 * closed after the test; tests of one instance never run concurrently.
 */
public abstract class ClusterDriverConformance {
  /** A namespace the kit writes to. */
  public static final String NAMESPACE_A = "conformance-a";
  /** The other namespace the kit writes to. */
  public static final String NAMESPACE_B = "conformance-b";
  /** The label every object the kit writes carries (value {@code cluster-driver}). */
  public static final String SUITE_LABEL = "conformance.orchestrationplane.io/suite";

  private static final String SUITE = "cluster-driver";
  private static final String FINALIZER = "conformance.orchestrationplane.io/hold";
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");
  private static final GroupKind SERVICE = new GroupKind("", "Service");
  private static final GroupKind CLUSTER_ROLE = new GroupKind("rbac.authorization.k8s.io", "ClusterRole");
  private static final Comparator<Resource> BY_NAMESPACE_AND_NAME =
      Comparator.comparing(Resource::namespace).thenComparing(Resource::name);

  private @Nullable ClusterDriver driver;

  /**
   * A driver of a cluster that holds none of the objects the kit writes (see the class
   * description). Called before each test; {@link #closeDriver} closes it after the test.
   */
  protected abstract ClusterDriver createDriver() throws Exception;

  /**
   * Makes the driver's API server answer every request from now until the end of the test with
   * {@code error}, as {@link MockApiServer#failEveryRequest} does; the error cases call it once,
   * after the objects they need exist and the driver has read them. Override it when the driver
   * talks to a server whose answers the test can script; the default skips the error cases: a
   * driver without a server has no HTTP status to map.
   */
  protected void failEveryRequest(ServerError error) {
    Assumptions.abort(getClass().getSimpleName() + " does not override failEveryRequest(ServerError), so the "
        + "mapping of HTTP " + error.status() + " " + error.reason() + " onto ClusterException.Reason is not "
        + "checked (a driver that talks to no API server has no HTTP status to map)");
  }

  /**
   * How the server behind the driver is known to differ from a Kubernetes API server (default:
   * not at all). The tests that rely on a declared behaviour are skipped, naming the deviation;
   * declare only what the server does, never what the driver gets wrong.
   */
  protected Set<ServerDeviation> serverDeviations() {
    return Set.of();
  }

  /** How long a test waits for a watch event before it fails (default 10 s). */
  protected Duration eventTimeout() {
    return Duration.ofSeconds(10);
  }

  /** The driver under test of the running test. */
  protected final ClusterDriver driver() {
    if (driver == null) {
      throw new IllegalStateException("no driver: createDriver() runs before each test");
    }
    return driver;
  }

  @BeforeEach
  final void openDriverUnderTest() throws Exception {
    driver = createDriver();
    assertThat(driver).as("createDriver()").isNotNull();
    for (String namespace : List.of(NAMESPACE_A, NAMESPACE_B)) {
      driver.apply(Resource.of("v1", "Namespace", null, namespace).withLabel(SUITE_LABEL, SUITE));
    }
  }

  /**
   * Closes the driver after each test. Override it to also release what {@link #createDriver()}
   * started for the driver (a server, say), calling {@code super.closeDriver(driver)} first.
   */
  protected void closeDriver(ClusterDriver driver) throws Exception {
    driver.close();
  }

  @AfterEach
  final void closeDriverUnderTest() throws Exception {
    if (driver != null) {
      ClusterDriver closing = driver;
      driver = null;
      closeDriver(closing);
    }
  }

  /** The cluster's name and what it stores. */
  @Nested
  class Identity {
    @Test
    void theDriverNamesItsClusterAndStampsStoredObjectsWithUidAndResourceVersion() {
      assertThat(driver().name()).as("name()").isNotBlank();

      Resource stored = driver().create(configMap(NAMESPACE_A, "stamped", Map.of("k", "v")));

      assertThat(stored.uid()).as("uid of the stored object").isNotBlank();
      assertThat(stored.resourceVersion()).as("resourceVersion of the stored object").isNotBlank();
      assertThat(data(stored)).containsEntry("k", "v");
    }

    @Test
    void theClusterFieldOfAKeyIsNotInterpreted() {
      driver().create(configMap(NAMESPACE_A, "anywhere", Map.of("k", "v")));

      Optional<Resource> found = driver().get(ResourceKey.of("some-other-cluster", "", "ConfigMap", NAMESPACE_A,
          "anywhere"));

      assertThat(found).as("get with a key naming another cluster").isPresent();
    }

    @Test
    void everyWriteOfNewContentMakesANewResourceVersion() {
      Resource first = driver().create(configMap(NAMESPACE_A, "versions", Map.of("k", "1")));
      Resource second = driver().apply(configMap(NAMESPACE_A, "versions", Map.of("k", "2")));
      Resource third = driver().update(second.edit(t -> data(t).put("k", "3")));

      assertThat(List.of(first.resourceVersion(), second.resourceVersion(), third.resourceVersion()))
          .as("resourceVersions after create, apply and update").doesNotHaveDuplicates();
      assertThat(driver().get(key(third))).get().extracting(Resource::resourceVersion)
          .isEqualTo(third.resourceVersion());
    }
  }

  /** {@link ClusterDriver#create}: a POST, never an upsert. */
  @Nested
  class Create {
    @Test
    void createOfAnExistingObjectFailsWithAlreadyExistsAndWritesNothing() {
      Resource first = driver().create(configMap(NAMESPACE_A, "taken", Map.of("owner", "first")));

      ClusterException e = catchClusterException(
          () -> driver().create(configMap(NAMESPACE_A, "taken", Map.of("owner", "second"))));

      assertThat(e.reason()).as("reason").isEqualTo(Reason.ALREADY_EXISTS);
      assertThat(e.cluster()).as("cluster of the exception").isEqualTo(driver().name());
      assertThat(e).hasMessageContaining("taken");
      Resource live = driver().get(key(first)).orElseThrow();
      assertThat(data(live)).containsEntry("owner", "first");
      assertThat(live.resourceVersion()).isEqualTo(first.resourceVersion());
    }

    @Test
    void createOfAnExistingClusterScopedObjectFailsWithAlreadyExists() {
      Resource first = driver().create(clusterRole("taken-role", "get"));

      ClusterException e = catchClusterException(() -> driver().create(clusterRole("taken-role", "delete")));

      assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
      Resource live = driver().get(key(first)).orElseThrow();
      assertThat(live.at("/rules/0/verbs/0").asString()).isEqualTo("get");
      assertThat(live.resourceVersion()).isEqualTo(first.resourceVersion());
    }

    @Test
    void ofConcurrentCreatesOfOneObjectExactlyOneSucceeds() throws Exception {
      int writers = 6;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          String owner = "writer-" + i;
          outcomes.add(pool.submit(() -> {
            start.await();
            try {
              driver().create(configMap(NAMESPACE_A, "raced", Map.of("owner", owner)));
              return owner;
            } catch (ClusterException e) {
              return e.reason().name();
            }
          }));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> f : outcomes) {
          results.add(f.get(30, TimeUnit.SECONDS));
        }

        List<String> winners = results.stream().filter(r -> r.startsWith("writer-")).toList();
        assertThat(winners).as("creates that succeeded, of " + results).hasSize(1);
        assertThat(results).filteredOn(r -> !r.startsWith("writer-"))
            .as("the other creates").containsOnly(Reason.ALREADY_EXISTS.name());
        assertThat(data(driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_A, "raced")).orElseThrow()))
            .containsEntry("owner", winners.get(0));
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void anObjectCreatedAgainAfterItsDeleteIsANewObjectWithANewUid() {
      Resource first = driver().create(configMap(NAMESPACE_A, "reborn", Map.of("k", "v")));
      assertThat(driver().delete(key(first))).isTrue();

      Resource second = driver().create(configMap(NAMESPACE_A, "reborn", Map.of("k", "v")));

      assertThat(second.uid()).as("uid of the new object").isNotEqualTo(first.uid());
    }

    @Test
    void objectsOfOneNameInTwoNamespacesAreTwoObjects() {
      driver().create(configMap(NAMESPACE_A, "twin", Map.of("in", "a")));
      driver().create(configMap(NAMESPACE_B, "twin", Map.of("in", "b")));

      assertThat(data(driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_A, "twin")).orElseThrow()))
          .containsEntry("in", "a");
      assertThat(data(driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_B, "twin")).orElseThrow()))
          .containsEntry("in", "b");
    }
  }

  /** {@link ClusterDriver#apply}: create or update, keeping what other writers set. */
  @Nested
  class Apply {
    @Test
    void applyCreatesAnObjectThatDoesNotExist() {
      Resource stored = driver().apply(configMap(NAMESPACE_A, "fresh", Map.of("k", "v")));

      assertThat(stored.uid()).isNotBlank();
      assertThat(data(driver().get(key(stored)).orElseThrow())).containsEntry("k", "v");
    }

    @Test
    void applyKeepsFieldsAnotherWriterSetAndRemovesFieldsItNoLongerSets() {
      Resource applied = driver().apply(configMap(NAMESPACE_A, "shared", Map.of("mine", "1", "dropped", "x")));
      driver().update(applied.edit(t -> data(t).put("theirs", "2")));

      Resource after = driver().apply(configMap(NAMESPACE_A, "shared", Map.of("mine", "3")));

      assertThat(data(after)).as("data after the second apply")
          .containsEntry("mine", "3")
          .containsEntry("theirs", "2")
          .doesNotContainKey("dropped");
      assertThat(data(driver().get(key(after)).orElseThrow())).isEqualTo(data(after));
    }

    @Test
    void applyKeepsTheStatusThatAnotherWriterSet() {
      Resource created = driver().create(service(NAMESPACE_A, "kept-status", 80));
      driver().updateStatus(created.edit(t -> t.set("status", loadBalancerStatus("192.0.2.10"))));

      Resource after = driver().apply(service(NAMESPACE_A, "kept-status", 8080));

      assertThat(after.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
      assertThat(after.at("/status/loadBalancer/ingress/0/ip").asString()).isEqualTo("192.0.2.10");
    }

    @Test
    void applyOfUnchangedContentKeepsTheResourceVersion() {
      Resource first = driver().apply(configMap(NAMESPACE_A, "steady", Map.of("k", "v")));

      Resource again = driver().apply(configMap(NAMESPACE_A, "steady", Map.of("k", "v")));

      assertThat(again.resourceVersion()).as("resourceVersion after a no-op apply").isEqualTo(first.resourceVersion());
    }

    @Test
    void applyCarryingAStaleResourceVersionIsAConflictAndWritesNothing() {
      Resource first = driver().apply(configMap(NAMESPACE_A, "moved-on", Map.of("k", "1")));
      Resource second = driver().apply(configMap(NAMESPACE_A, "moved-on", Map.of("k", "2")));

      ClusterException e = catchClusterException(() -> driver().apply(
          configMap(NAMESPACE_A, "moved-on", Map.of("k", "3")).edit(t -> resourceVersion(t, first.resourceVersion()))));

      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
      Resource live = driver().get(key(second)).orElseThrow();
      assertThat(data(live)).containsEntry("k", "2");
      assertThat(live.resourceVersion()).isEqualTo(second.resourceVersion());
    }

    @Test
    void applyCarryingTheLiveResourceVersionSucceeds() {
      Resource first = driver().apply(configMap(NAMESPACE_A, "pinned", Map.of("k", "1")));

      Resource second = driver().apply(
          configMap(NAMESPACE_A, "pinned", Map.of("k", "2")).edit(t -> resourceVersion(t, first.resourceVersion())));

      assertThat(data(second)).containsEntry("k", "2");
    }

    @Test
    void applyCarryingTheResourceVersionOfADeletedObjectIsAConflictAndCreatesNothing() {
      Resource first = driver().apply(configMap(NAMESPACE_A, "deleted-meanwhile", Map.of("k", "1")));
      driver().delete(key(first));

      ClusterException e = catchClusterException(() -> driver().apply(configMap(NAMESPACE_A, "deleted-meanwhile",
          Map.of("k", "2")).edit(t -> resourceVersion(t, first.resourceVersion()))));

      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
      assertThat(driver().get(key(first))).as("the deleted object").isEmpty();
    }
  }

  /** {@link ClusterDriver#update}: a PUT with optimistic concurrency. */
  @Nested
  class Update {
    @Test
    void updateReplacesTheContentAndKeepsTheIdentity() {
      Resource created = driver().create(configMap(NAMESPACE_A, "replaced", Map.of("keep", "1", "drop", "2")));

      Resource updated = driver().update(created.edit(t -> {
        data(t).remove("drop");
        data(t).put("keep", "3");
        ((ObjectNode) t.get("metadata").get("labels")).put("edited", "yes");
      }));

      assertThat(data(updated)).containsEntry("keep", "3").doesNotContainKey("drop");
      assertThat(updated.labels()).containsEntry("edited", "yes");
      assertThat(updated.uid()).isEqualTo(created.uid());
      assertThat(updated.resourceVersion()).isNotEqualTo(created.resourceVersion());
      assertThat(data(driver().get(key(created)).orElseThrow())).isEqualTo(data(updated));
    }

    @Test
    void updateCarryingAStaleResourceVersionIsAConflictAndWritesNothing() {
      Resource read = driver().create(configMap(NAMESPACE_A, "contended", Map.of("k", "read")));
      Resource theirs = driver().update(read.edit(t -> data(t).put("k", "theirs")));

      ClusterException e = catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "mine"))));

      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
      assertThat(e.isRetryable()).isTrue();
      Resource live = driver().get(key(read)).orElseThrow();
      assertThat(data(live)).containsEntry("k", "theirs");
      assertThat(live.resourceVersion()).isEqualTo(theirs.resourceVersion());
    }

    @Test
    void updateOfAnObjectThatDoesNotExistIsNotFoundAndCreatesNothing() {
      Resource read = driver().create(configMap(NAMESPACE_A, "vanished", Map.of("k", "v")));
      ResourceKey elsewhere = ResourceKey.of("", "", "ConfigMap", NAMESPACE_B, "vanished");

      ClusterException e = catchClusterException(() -> driver().update(read.withNamespace(NAMESPACE_B)));

      assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
      assertThat(e.isRetryable()).isFalse();
      assertThat(driver().get(elsewhere)).isEmpty();
    }

    @Test
    void updateLeavesTheStatusAsItIs() {
      assumeServerKeeps(ServerDeviation.UPDATE_REPLACES_STATUS);
      Resource created = driver().create(service(NAMESPACE_A, "status-stays", 80));
      Resource withStatus = driver().updateStatus(created.edit(t -> t.set("status", loadBalancerStatus("192.0.2.20"))));

      Resource updated = driver().update(withStatus.edit(t -> {
        ((ObjectNode) t.at("/spec/ports/0")).put("port", 8080);
        t.set("status", loadBalancerStatus("198.51.100.1"));
      }));

      assertThat(updated.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
      assertThat(updated.at("/status/loadBalancer/ingress/0/ip").asString()).isEqualTo("192.0.2.20");
    }
  }

  /** {@link ClusterDriver#updateStatus}: the status subresource. */
  @Nested
  class Status {
    @Test
    void updateStatusReplacesTheStatusAndNothingElse() {
      Resource created = driver().create(service(NAMESPACE_A, "status-only", 80));

      Resource stored = driver().updateStatus(created.edit(t -> {
        t.set("status", loadBalancerStatus("192.0.2.30"));
        ((ObjectNode) t.at("/spec/ports/0")).put("port", 9999);
        ((ObjectNode) t.get("metadata").get("labels")).put("sneaked", "in");
      }));

      assertThat(stored.at("/status/loadBalancer/ingress/0/ip").asString()).isEqualTo("192.0.2.30");
      Resource live = driver().get(key(created)).orElseThrow();
      assertThat(live.at("/status/loadBalancer/ingress/0/ip").asString()).isEqualTo("192.0.2.30");
      assertThat(live.at("/spec/ports/0/port").asInt()).as("spec after a status write").isEqualTo(80);
      assertThat(live.labels()).doesNotContainKey("sneaked");
    }

    @Test
    void updateStatusOfAnObjectThatDoesNotExistIsNotFound() {
      ClusterException e = catchClusterException(() -> driver().updateStatus(
          service(NAMESPACE_A, "never-made", 80).edit(t -> t.set("status", loadBalancerStatus("192.0.2.40")))));

      assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void updateStatusCarryingAStaleResourceVersionIsAConflict() {
      assumeServerKeeps(ServerDeviation.STATUS_WRITE_IGNORES_RESOURCE_VERSION);
      Resource read = driver().create(service(NAMESPACE_A, "status-race", 80));
      driver().updateStatus(read.edit(t -> t.set("status", loadBalancerStatus("192.0.2.50"))));

      ClusterException e = catchClusterException(() -> driver().updateStatus(
          read.edit(t -> t.set("status", loadBalancerStatus("192.0.2.51")))));

      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
      assertThat(driver().get(key(read)).orElseThrow().at("/status/loadBalancer/ingress/0/ip").asString())
          .isEqualTo("192.0.2.50");
    }
  }

  /** {@link ClusterDriver#delete(ResourceKey)} and {@link ClusterDriver#delete(ResourceKey, Preconditions)}. */
  @Nested
  class Delete {
    @Test
    void deleteRemovesTheObjectAndSaysWhetherItExisted() {
      Resource stored = driver().create(configMap(NAMESPACE_A, "doomed", Map.of("k", "v")));

      assertThat(driver().delete(key(stored))).as("first delete").isTrue();
      assertThat(driver().get(key(stored))).isEmpty();
      assertThat(driver().delete(key(stored))).as("second delete").isFalse();
    }

    @Test
    void deleteWithTheUidAndResourceVersionTheObjectWasReadAtDeletesIt() {
      Resource stored = driver().create(configMap(NAMESPACE_A, "checked", Map.of("k", "v")));

      assertThat(driver().delete(key(stored), Preconditions.of(stored))).isTrue();
      assertThat(driver().get(key(stored))).isEmpty();
    }

    @Test
    void deleteWithTheUidOfAnEarlierObjectOfThatNameIsAConflictAndDeletesNothing() {
      Resource earlier = driver().create(configMap(NAMESPACE_A, "replaced-meanwhile", Map.of("owner", "plane")));
      driver().delete(key(earlier));
      Resource someoneElses = driver().create(configMap(NAMESPACE_A, "replaced-meanwhile", Map.of("owner", "other")));

      ClusterException e = catchClusterException(
          () -> driver().delete(key(earlier), new Preconditions(earlier.uid(), null)));

      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
      assertThat(e).hasMessageContaining("replaced-meanwhile");
      assertThat(driver().get(key(earlier))).get().extracting(Resource::uid).isEqualTo(someoneElses.uid());
    }

    @Test
    void deleteWithAStaleResourceVersionIsAConflictAndDeletesNothing() {
      Resource read = driver().create(configMap(NAMESPACE_A, "edited-meanwhile", Map.of("k", "read")));
      driver().update(read.edit(t -> data(t).put("k", "edited")));

      ClusterException e = catchClusterException(() -> driver().delete(key(read), Preconditions.of(read)));

      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
      assertThat(driver().get(key(read))).get().extracting(r -> data(r).get("k")).isEqualTo("edited");
    }

    @Test
    void deleteWithOnlyAUidLetsTheResourceVersionBe() {
      Resource read = driver().create(configMap(NAMESPACE_A, "same-object", Map.of("k", "read")));
      driver().update(read.edit(t -> data(t).put("k", "edited")));

      assertThat(driver().delete(key(read), new Preconditions(read.uid(), null))).isTrue();
      assertThat(driver().get(key(read))).isEmpty();
    }

    @Test
    void deleteWithPreconditionsOfAnObjectThatDoesNotExistAnswersFalse() {
      Resource stored = driver().create(configMap(NAMESPACE_A, "gone-already", Map.of("k", "v")));
      driver().delete(key(stored));

      assertThat(driver().delete(key(stored), Preconditions.of(stored))).isFalse();
    }

    @Test
    void deleteWithoutPreconditionsDeletesWhateverIsThere() {
      Resource read = driver().create(configMap(NAMESPACE_A, "whatever", Map.of("k", "read")));
      driver().update(read.edit(t -> data(t).put("k", "edited")));

      assertThat(driver().delete(key(read), Preconditions.NONE)).isTrue();
      assertThat(driver().get(key(read))).isEmpty();
    }

    @Test
    void deleteOfAClusterScopedObjectHonoursItsPreconditions() {
      Resource read = driver().create(clusterRole("checked-role", "get"));
      Resource edited = driver().update(read.edit(t -> ((ObjectNode) t.at("/rules/0")).putArray("verbs").add("list")));

      ClusterException e = catchClusterException(() -> driver().delete(key(read), Preconditions.of(read)));
      assertThat(e.reason()).isEqualTo(Reason.CONFLICT);

      assertThat(driver().delete(key(read), Preconditions.of(edited))).isTrue();
      assertThat(driver().get(key(read))).isEmpty();
    }
  }

  /** Finalizers hold a deleted object until the last one is removed, as on Kubernetes. */
  @Nested
  class Finalizers {
    @Test
    void deleteOfAnObjectWithAFinalizerMarksItForDeletionAndKeepsIt() {
      Resource held = driver().create(withFinalizer(configMap(NAMESPACE_A, "held", Map.of("k", "v"))));

      assertThat(driver().delete(key(held))).as("delete answers that the object existed").isTrue();

      Resource live = driver().get(key(held)).orElseThrow(() -> new AssertionError(
          "an object with a finalizer disappeared on delete; it must stay, marked with a deletionTimestamp"));
      assertThat(live.isBeingDeleted()).as("deletionTimestamp set").isTrue();
      assertThat(live.at("/metadata/finalizers/0").asString()).isEqualTo(FINALIZER);
      assertThat(live.uid()).isEqualTo(held.uid());
    }

    @Test
    void removingTheLastFinalizerOfAnObjectMarkedForDeletionDeletesIt() {
      Resource held = driver().create(withFinalizer(configMap(NAMESPACE_A, "released", Map.of("k", "v"))));
      driver().delete(key(held));
      Resource marked = driver().get(key(held)).orElseThrow();

      driver().update(marked.edit(t -> ((ObjectNode) t.get("metadata")).remove("finalizers")));

      assertThat(driver().get(key(held))).as("the object once its last finalizer is gone").isEmpty();
    }

    @Test
    void anObjectWithAFinalizerThatIsNotDeletedStaysWhenTheFinalizerIsRemoved() {
      Resource held = driver().create(withFinalizer(configMap(NAMESPACE_A, "not-deleted", Map.of("k", "v"))));

      Resource released = driver().update(held.edit(t -> ((ObjectNode) t.get("metadata")).remove("finalizers")));

      assertThat(released.isBeingDeleted()).isFalse();
      assertThat(driver().get(key(held))).isPresent();
    }
  }

  /** {@link ClusterDriver#get} and {@link ClusterDriver#list}. */
  @Nested
  class Reads {
    @Test
    void getOfAnObjectThatDoesNotExistIsEmpty() {
      driver().create(configMap(NAMESPACE_A, "present", Map.of("k", "v")));

      assertThat(driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_A, "absent"))).isEmpty();
      assertThat(driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_B, "present"))).as("in another namespace")
          .isEmpty();
      assertThat(driver().get(ResourceKey.of("", "", "Secret", NAMESPACE_A, "present"))).as("of another kind")
          .isEmpty();
    }

    @Test
    void getAtTheVersionAnObjectWasWrittenInPresentsItInThatVersion() {
      Resource written = driver().create(autoscaler(NAMESPACE_A, "scaler"));

      Optional<Resource> read = driver().get(key(written), "autoscaling/v2");

      assertThat(read).isPresent();
      assertThat(read.get().apiVersion()).isEqualTo("autoscaling/v2");
      assertThat(read.get().at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(70);
      assertThat(driver().get(ResourceKey.of("", "autoscaling", "HorizontalPodAutoscaler", NAMESPACE_A, "other"),
          "autoscaling/v2")).as("get at a version of an object that does not exist").isEmpty();
    }

    @Test
    void listIsSortedByNamespaceThenName() {
      driver().create(configMap(NAMESPACE_B, "b", Map.of()));
      driver().create(configMap(NAMESPACE_A, "z", Map.of()));
      driver().create(configMap(NAMESPACE_B, "a", Map.of()));
      driver().create(configMap(NAMESPACE_A, "m", Map.of()));

      List<Resource> listed = suiteOnly(driver().list(CONFIG_MAP, null, Map.of()));

      assertThat(listed).extracting(BY_NAMESPACE_AND_NAME_TEXT)
          .containsExactly(NAMESPACE_A + "/m", NAMESPACE_A + "/z", NAMESPACE_B + "/a", NAMESPACE_B + "/b");
      assertThat(driver().list(CONFIG_MAP, null, Map.of())).as("the whole list").isSortedAccordingTo(BY_NAMESPACE_AND_NAME);
    }

    @Test
    void listInANamespaceHoldsThatNamespaceOnly() {
      driver().create(configMap(NAMESPACE_A, "here", Map.of()));
      driver().create(configMap(NAMESPACE_B, "there", Map.of()));

      assertThat(driver().list(CONFIG_MAP, NAMESPACE_A, Map.of())).extracting(Resource::namespace)
          .containsOnly(NAMESPACE_A);
      assertThat(suiteOnly(driver().list(CONFIG_MAP, NAMESPACE_A, Map.of()))).extracting(Resource::name)
          .containsExactly("here");
    }

    @Test
    void listSelectsObjectsThatCarryEveryLabelOfTheSelector() {
      driver().create(configMap(NAMESPACE_A, "both", Map.of()).withLabel("tier", "web").withLabel("env", "prod"));
      driver().create(configMap(NAMESPACE_A, "tier-only", Map.of()).withLabel("tier", "web"));
      driver().create(configMap(NAMESPACE_A, "env-only", Map.of()).withLabel("env", "prod"));
      driver().create(configMap(NAMESPACE_B, "other-env", Map.of()).withLabel("tier", "web").withLabel("env", "dev"));
      driver().create(configMap(NAMESPACE_B, "both-too", Map.of()).withLabel("tier", "web").withLabel("env", "prod"));

      List<Resource> prodWeb = driver().list(CONFIG_MAP, null, Map.of("tier", "web", "env", "prod"));
      List<Resource> web = driver().list(CONFIG_MAP, null, Map.of("tier", "web"));

      assertThat(prodWeb).extracting(BY_NAMESPACE_AND_NAME_TEXT)
          .containsExactly(NAMESPACE_A + "/both", NAMESPACE_B + "/both-too");
      assertThat(web).extracting(BY_NAMESPACE_AND_NAME_TEXT).containsExactly(NAMESPACE_A + "/both",
          NAMESPACE_A + "/tier-only", NAMESPACE_B + "/both-too", NAMESPACE_B + "/other-env");
      assertThat(driver().list(CONFIG_MAP, null, Map.of("tier", "db"))).isEmpty();
    }

    @Test
    void anEmptySelectorMatchesObjectsWithAndWithoutLabels() {
      driver().create(configMap(NAMESPACE_A, "labelled", Map.of()).withLabel("tier", "web"));
      driver().create(configMap(NAMESPACE_A, "unlabelled", Map.of()).edit(t -> ((ObjectNode) t.get("metadata"))
          .remove("labels")));

      assertThat(driver().list(CONFIG_MAP, NAMESPACE_A, Map.of())).extracting(Resource::name)
          .contains("labelled", "unlabelled");
    }

    @Test
    void listOfSeveralKindsAnswersKindByKindInTheOrderGiven() {
      driver().create(configMap(NAMESPACE_A, "cm-2", Map.of()));
      driver().create(configMap(NAMESPACE_A, "cm-1", Map.of()));
      driver().create(service(NAMESPACE_A, "svc", 80));
      driver().create(clusterRole("role", "get"));
      Map<String, String> suite = Map.of(SUITE_LABEL, SUITE);

      List<Resource> listed = driver().list(List.of(SERVICE, CLUSTER_ROLE, CONFIG_MAP), null, suite);

      assertThat(listed).extracting(r -> r.kind() + " " + r.name())
          .containsExactly("Service svc", "ClusterRole role", "ConfigMap cm-1", "ConfigMap cm-2");
    }

    @Test
    void listOfAKindWithoutObjectsIsEmpty() {
      assertThat(driver().list(new GroupKind("apps", "StatefulSet"), NAMESPACE_A, Map.of())).isEmpty();
    }
  }

  /** Cluster-scoped objects have no namespace; namespaced ones have one. */
  @Nested
  class Scope {
    @Test
    void aClusterScopedObjectHasAnEmptyNamespaceAndIsFoundAndListedWithoutOne() {
      Resource stored = driver().create(clusterRole("global", "get"));

      assertThat(stored.namespace()).isEmpty();
      assertThat(key(stored).namespace()).isEmpty();
      assertThat(driver().get(ResourceKey.of("", CLUSTER_ROLE.group(), "ClusterRole", "", "global"))).isPresent();
      assertThat(suiteOnly(driver().list(CLUSTER_ROLE, null, Map.of()))).extracting(Resource::name)
          .containsExactly("global");
    }

    @Test
    void aNamespacedObjectIsNotFoundWithoutItsNamespace() {
      driver().create(configMap(NAMESPACE_A, "scoped", Map.of()));

      assertThat(driver().get(ResourceKey.of("", "", "ConfigMap", "", "scoped"))).isEmpty();
    }
  }

  /** What the plane writes to recognise its objects survives every kind of write. */
  @Nested
  class OwnershipMarks {
    @Test
    void theOwnershipLabelsAndAnnotationsAreStoredAsWrittenByCreateApplyAndUpdate() {
      Resource owned = owned(configMap(NAMESPACE_A, "owned", Map.of("k", "1")));

      Resource created = driver().create(owned);
      Resource applied = driver().apply(owned(configMap(NAMESPACE_A, "owned", Map.of("k", "2"))));
      Resource updated = driver().update(applied.edit(t -> data(t).put("k", "3")));

      for (Resource r : List.of(created, applied, updated, driver().get(key(created)).orElseThrow())) {
        assertThat(r.labels()).as("labels of %s at %s", r, r.resourceVersion())
            .containsAllEntriesOf(owned.labels());
        assertThat(r.annotations()).as("annotations of %s at %s", r, r.resourceVersion())
            .containsAllEntriesOf(owned.annotations());
      }
    }
  }

  /** {@link ClusterDriver#dryRunApply}: an answer, and no write. */
  @Nested
  class DryRun {
    @Test
    void aDryRunApplyStoresNothing() {
      Resource existing = driver().create(configMap(NAMESPACE_A, "dry-existing", Map.of("k", "1")));

      driver().dryRunApply(configMap(NAMESPACE_A, "dry-new", Map.of("k", "v")));
      driver().dryRunApply(configMap(NAMESPACE_A, "dry-existing", Map.of("k", "2")));

      assertThat(driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_A, "dry-new"))).isEmpty();
      Resource live = driver().get(key(existing)).orElseThrow();
      assertThat(live.resourceVersion()).isEqualTo(existing.resourceVersion());
      assertThat(data(live)).containsEntry("k", "1");
    }

    @Test
    void aDryRunApplyAnswersWhatApplyWouldStore() {
      driver().create(configMap(NAMESPACE_A, "dry", Map.of("k", "1")).withLabel("theirs", "kept"));

      Optional<Resource> answer = driver().dryRunApply(configMap(NAMESPACE_A, "dry", Map.of("k", "2")));

      Assumptions.assumeTrue(answer.isPresent(), driver().name() + " answers no dry-run apply (the contract allows "
          + "that: the planner then compares client-side)");
      assertThat(data(answer.get())).containsEntry("k", "2");
      Resource applied = driver().apply(configMap(NAMESPACE_A, "dry", Map.of("k", "2")));
      assertThat(data(answer.get())).isEqualTo(data(applied));
      assertThat(answer.get().labels()).isEqualTo(applied.labels());
    }
  }

  /** {@link ClusterDriver#watch}: the current state first, then every change in order. */
  @Nested
  class Watch {
    @Test
    void aWatchStartsWithAnAddedEventForEveryExistingObjectOfItsKinds() throws Exception {
      driver().create(configMap(NAMESPACE_A, "one", Map.of("k", "1")));
      Resource two = driver().apply(configMap(NAMESPACE_B, "two", Map.of("k", "1")));
      driver().apply(configMap(NAMESPACE_B, "two", Map.of("k", "2")));
      EventLog events = new EventLog();

      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP), events)) {
        events.await(seen -> has(seen, NAMESPACE_A, "one") && has(seen, NAMESPACE_B, "two"), eventTimeout(),
            "ADDED events of the existing ConfigMaps");
        driver().create(configMap(NAMESPACE_A, "barrier", Map.of()));
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "barrier", eventTimeout());

        assertThat(events.typesOf("ConfigMap", NAMESPACE_A, "one")).containsExactly(WatchEvent.Type.ADDED);
        List<WatchEvent> ofTwo = events.of("ConfigMap", NAMESPACE_B, "two");
        assertThat(ofTwo).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.ADDED);
        assertThat(data(ofTwo.get(0).resource())).as("the ADDED event carries the current content")
            .containsEntry("k", "2");
        assertThat(ofTwo.get(0).resource().uid()).isEqualTo(two.uid());
      }
    }

    @Test
    void theChangesOfOneObjectArriveInOrderEachWithItsContent() throws Exception {
      EventLog events = new EventLog();
      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP), events)) {
        Resource created = driver().create(configMap(NAMESPACE_A, "lifecycle", Map.of("step", "created")));
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "lifecycle", eventTimeout());
        Resource updated = driver().update(created.edit(t -> data(t).put("step", "updated")));
        events.awaitLast(WatchEvent.Type.MODIFIED, "ConfigMap", NAMESPACE_A, "lifecycle", eventTimeout());
        driver().delete(key(created));
        events.awaitLast(WatchEvent.Type.DELETED, "ConfigMap", NAMESPACE_A, "lifecycle", eventTimeout());

        List<WatchEvent> mine = events.of("ConfigMap", NAMESPACE_A, "lifecycle");
        assertThat(mine).extracting(WatchEvent::type)
            .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED);
        assertThat(mine).extracting(e -> data(e.resource()).get("step"))
            .as("content of each event; DELETED carries the last state").containsExactly("created", "updated", "updated");
        assertThat(mine.get(1).resource().resourceVersion()).isEqualTo(updated.resourceVersion());
        assertThat(mine).extracting(WatchEvent::cluster).containsOnly(driver().name());
      }
    }

    @Test
    void aStatusWriteIsAModifiedEvent() throws Exception {
      Resource created = driver().create(service(NAMESPACE_A, "watched-status", 80));
      EventLog events = new EventLog();
      try (AutoCloseable watch = driver().watch(List.of(SERVICE), events)) {
        events.awaitLast(WatchEvent.Type.ADDED, "Service", NAMESPACE_A, "watched-status", eventTimeout());

        driver().updateStatus(created.edit(t -> t.set("status", loadBalancerStatus("192.0.2.60"))));

        List<WatchEvent> seen = events.awaitLast(WatchEvent.Type.MODIFIED, "Service", NAMESPACE_A, "watched-status",
            eventTimeout());
        WatchEvent modified = seen.stream().filter(e -> e.type() == WatchEvent.Type.MODIFIED).reduce((a, b) -> b)
            .orElseThrow();
        assertThat(modified.resource().at("/status/loadBalancer/ingress/0/ip").asString()).isEqualTo("192.0.2.60");
      }
    }

    @Test
    void aWatchDeliversTheKindsItAsksForAndNoOthers() throws Exception {
      EventLog configMaps = new EventLog();
      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP), configMaps)) {
        driver().create(service(NAMESPACE_A, "unwatched", 80));
        driver().create(clusterRole("unwatched-role", "get"));
        driver().create(configMap(NAMESPACE_A, "barrier", Map.of()));

        configMaps.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "barrier", eventTimeout());

        assertThat(configMaps.all()).extracting(e -> e.resource().kind()).containsOnly("ConfigMap");
      }
    }

    @Test
    void aWatchOfSeveralKindsDeliversEachOfThem() throws Exception {
      EventLog events = new EventLog();
      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP, CLUSTER_ROLE), events)) {
        driver().create(configMap(NAMESPACE_A, "of-kind-one", Map.of()));
        driver().create(clusterRole("of-kind-two", "get"));

        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "of-kind-one", eventTimeout());
        events.awaitLast(WatchEvent.Type.ADDED, "ClusterRole", "", "of-kind-two", eventTimeout());
      }
    }

    @Test
    void aNewWatchStartsFromTheCurrentStateNotFromHistory() throws Exception {
      driver().create(configMap(NAMESPACE_A, "kept", Map.of("v", "1")));
      Resource changed = driver().apply(configMap(NAMESPACE_A, "kept", Map.of("v", "2")));
      Resource removed = driver().create(configMap(NAMESPACE_A, "removed", Map.of()));
      driver().delete(key(removed));
      EventLog events = new EventLog();

      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP), events)) {
        driver().create(configMap(NAMESPACE_A, "barrier", Map.of()));
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "barrier", eventTimeout());
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "kept", eventTimeout());

        List<WatchEvent> kept = events.of("ConfigMap", NAMESPACE_A, "kept");
        assertThat(kept).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.ADDED);
        assertThat(kept.get(0).resource().resourceVersion()).isEqualTo(changed.resourceVersion());
        assertThat(events.of("ConfigMap", NAMESPACE_A, "removed")).as("events of an object deleted before the watch")
            .isEmpty();
      }
    }

    @Test
    void aClosedWatchDeliversNothingMoreWhileAnotherGoesOn() throws Exception {
      EventLog closed = new EventLog();
      EventLog open = new EventLog();
      try (AutoCloseable stays = driver().watch(List.of(CONFIG_MAP), open)) {
        AutoCloseable closing = driver().watch(List.of(CONFIG_MAP), closed);
        driver().create(configMap(NAMESPACE_A, "before-close", Map.of()));
        closed.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "before-close", eventTimeout());
        closing.close();

        driver().create(configMap(NAMESPACE_A, "after-close", Map.of()));
        open.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "after-close", eventTimeout());

        assertThat(open.typesOf("ConfigMap", NAMESPACE_A, "before-close")).containsExactly(WatchEvent.Type.ADDED);
        assertThat(closed.of("ConfigMap", NAMESPACE_A, "after-close")).as("events after close").isEmpty();
      }
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheWatch() throws Exception {
      EventLog events = new EventLog();
      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP), e -> {
        events.accept(e);
        throw new IllegalStateException("listener failure the driver must survive");
      })) {
        driver().create(configMap(NAMESPACE_A, "first", Map.of()));
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "first", eventTimeout());
        driver().create(configMap(NAMESPACE_A, "second", Map.of()));
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "second", eventTimeout());
      }
    }

    @Test
    void anObjectWithAFinalizerIsModifiedWhenMarkedAndDeletedWhenReleased() throws Exception {
      EventLog events = new EventLog();
      try (AutoCloseable watch = driver().watch(List.of(CONFIG_MAP), events)) {
        Resource held = driver().create(withFinalizer(configMap(NAMESPACE_A, "finalized", Map.of())));
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "finalized", eventTimeout());

        driver().delete(key(held));
        List<WatchEvent> seen = events.awaitLast(WatchEvent.Type.MODIFIED, "ConfigMap", NAMESPACE_A, "finalized",
            eventTimeout());
        assertThat(seen.get(seen.size() - 1).resource().isBeingDeleted()).as("deletionTimestamp in the MODIFIED event")
            .isTrue();

        driver().update(driver().get(key(held)).orElseThrow()
            .edit(t -> ((ObjectNode) t.get("metadata")).remove("finalizers")));
        events.awaitLast(WatchEvent.Type.DELETED, "ConfigMap", NAMESPACE_A, "finalized", eventTimeout());
        assertThat(driver().get(key(held))).as("the object once the DELETED event arrived").isEmpty();

        assertThat(events.typesOf("ConfigMap", NAMESPACE_A, "finalized")).as("events of the finalized object")
            .startsWith(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED).endsWith(WatchEvent.Type.DELETED)
            .containsOnlyOnce(WatchEvent.Type.DELETED);
      }
    }

    @Test
    void aWatchOfNoKindsCoversEveryKindOrIsRefusedAsAnIllegalArgument() throws Exception {
      driver().create(configMap(NAMESPACE_A, "any-kind", Map.of()));
      driver().create(clusterRole("any-role", "get"));
      EventLog events = new EventLog();
      AutoCloseable watch;
      try {
        watch = driver().watch(List.of(), events);
      } catch (IllegalArgumentException refused) {
        assertThat(refused).as("the refusal says why").hasMessageContaining("kind");
        return;
      }
      try (watch) {
        events.awaitLast(WatchEvent.Type.ADDED, "ConfigMap", NAMESPACE_A, "any-kind", eventTimeout());
        events.awaitLast(WatchEvent.Type.ADDED, "ClusterRole", "", "any-role", eventTimeout());
      }
    }

    private static boolean has(List<WatchEvent> events, String namespace, String name) {
      return events.stream().anyMatch(e -> EventLog.is(e, "ConfigMap", namespace, name));
    }
  }

  /**
   * How a driver maps its API server's errors (core's table in {@link ClusterException.Reason}).
   * Runs when the subclass overrides {@link #failEveryRequest}.
   */
  @Nested
  class ServerErrors {
    @Test
    void a404IsAbsenceToAReadAndNotFoundToAWrite() {
      Resource read = prepared("absent-on-server");

      failEveryRequest(ServerError.notFound());

      assertThat(driver().get(key(read))).as("get answered 404").isEmpty();
      assertThat(driver().delete(key(read))).as("delete answered 404").isFalse();
      ClusterException e = catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new"))));
      assertMapped(e, Reason.NOT_FOUND, false, read);
    }

    @Test
    void a409AlreadyExistsToACreateIsAlreadyExists() {
      Resource read = prepared("exists-on-server");

      failEveryRequest(ServerError.alreadyExists());

      assertMapped(catchClusterException(() -> driver().create(configMap(NAMESPACE_A, "exists-on-server",
          Map.of("k", "v")))), Reason.ALREADY_EXISTS, true, read);
    }

    @Test
    void a409ConflictToAnUpdateIsAConflict() {
      Resource read = prepared("conflict-on-server");

      failEveryRequest(ServerError.conflict());

      assertMapped(catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new")))),
          Reason.CONFLICT, true, read);
    }

    @Test
    void a410GoneIsARetryableConflict() {
      Resource read = prepared("expired-on-server");

      failEveryRequest(ServerError.gone());

      ClusterException e = catchClusterException(() -> driver().list(CONFIG_MAP, NAMESPACE_A, Map.of()));
      assertThat(e.reason()).as("reason of HTTP 410 to a list").isEqualTo(Reason.CONFLICT);
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.cluster()).isEqualTo(driver().name());
      assertMapped(catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new")))),
          Reason.CONFLICT, true, read);
    }

    @Test
    void a422IsInvalid() {
      Resource read = prepared("invalid-on-server");

      failEveryRequest(ServerError.invalid());

      assertMapped(catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new")))),
          Reason.INVALID, false, read);
    }

    @Test
    void a403IsForbidden() {
      Resource read = prepared("forbidden-on-server");

      failEveryRequest(ServerError.forbidden());

      assertMapped(catchClusterException(() -> driver().get(key(read))), Reason.FORBIDDEN, false, read);
      assertMapped(catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new")))),
          Reason.FORBIDDEN, false, read);
    }

    @Test
    void a429IsTooManyRequestsCarryingTheWaitTheServerAskedFor() {
      Resource read = prepared("throttled-on-server");
      Duration wait = Duration.ofSeconds(7);

      failEveryRequest(ServerError.tooManyRequests(wait));

      ClusterException onRead = catchClusterException(() -> driver().get(key(read)));
      assertMapped(onRead, Reason.TOO_MANY_REQUESTS, true, read);
      assertThat(onRead.retryAfter()).as("retryAfter of a throttled read").contains(wait);
      ClusterException onWrite = catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new"))));
      assertMapped(onWrite, Reason.TOO_MANY_REQUESTS, true, read);
      assertThat(onWrite.retryAfter()).as("retryAfter of a throttled write").contains(wait);
    }

    @Test
    void a500IsAServerError() {
      Resource read = prepared("failing-server");

      failEveryRequest(ServerError.internalError());

      assertMapped(catchClusterException(() -> driver().get(key(read))), Reason.SERVER_ERROR, true, read);
      assertMapped(catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new")))),
          Reason.SERVER_ERROR, true, read);
    }

    @Test
    void aDeleteThatTheServerFailsFailsAndNeverAnswersAlreadyGone() {
      Resource read = prepared("undeletable-on-server");

      failEveryRequest(ServerError.internalError());

      // a prune that took "false" for "already gone" would forget an object that is still there
      assertMapped(catchClusterException(() -> driver().delete(key(read))), Reason.SERVER_ERROR, true, read);
      assertMapped(catchClusterException(() -> driver().delete(key(read), Preconditions.of(read))),
          Reason.SERVER_ERROR, true, read);
    }

    @Test
    void a503IsAServerErrorAndNeverAnEmptyList() {
      prepared("unavailable-server");

      failEveryRequest(ServerError.serviceUnavailable());

      ClusterException e = catchClusterException(() -> driver().list(CONFIG_MAP, NAMESPACE_A, Map.of()));
      assertThat(e.reason()).as("reason of HTTP 503 to a list").isEqualTo(Reason.SERVER_ERROR);
      assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void a504IsATimeout() {
      Resource read = prepared("slow-server");

      failEveryRequest(ServerError.gatewayTimeout());

      assertMapped(catchClusterException(() -> driver().update(read.edit(t -> data(t).put("k", "new")))),
          Reason.TIMEOUT, true, read);
    }

    /** An object that exists, read once through the driver so that what it caches about the kind is warm. */
    private Resource prepared(String name) {
      driver().create(configMap(NAMESPACE_A, name, Map.of("k", "v")));
      driver().list(CONFIG_MAP, NAMESPACE_A, Map.of());
      return driver().get(ResourceKey.of("", "", "ConfigMap", NAMESPACE_A, name)).orElseThrow();
    }

    private void assertMapped(ClusterException e, Reason reason, boolean retryable, Resource about) {
      assertThat(e.reason()).as("reason of %s", e.getMessage()).isEqualTo(reason);
      assertThat(e.isRetryable()).as("retryable").isEqualTo(retryable);
      assertThat(e.cluster()).as("cluster of the exception").isEqualTo(driver().name());
      assertThat(e).as("the message names the object").hasMessageContaining(about.name());
    }
  }

  /** Skips the running test when the subclass declared that its server deviates this way. */
  private void assumeServerKeeps(ServerDeviation behaviour) {
    Assumptions.assumeFalse(serverDeviations().contains(behaviour), () -> getClass().getSimpleName()
        + " declares that its server deviates from a Kubernetes API server here: " + behaviour.description());
  }

  // ---- objects the kit writes ----

  private static final Function<Resource, String> BY_NAMESPACE_AND_NAME_TEXT =
      r -> r.namespace() + "/" + r.name();

  /** A ConfigMap labelled as the suite's, with the given data. */
  protected static Resource configMap(String namespace, String name, Map<String, String> data) {
    Map<String, String> sorted = new TreeMap<>(data);
    return Resource.of("v1", "ConfigMap", namespace, name).withLabel(SUITE_LABEL, SUITE).edit(t -> {
      ObjectNode d = t.putObject("data");
      sorted.forEach(d::put);
    });
  }

  private static Resource service(String namespace, String name, int port) {
    return Resource.of("v1", "Service", namespace, name).withLabel(SUITE_LABEL, SUITE).edit(t -> {
      ObjectNode spec = t.putObject("spec");
      spec.putObject("selector").put("app", name);
      spec.putArray("ports").addObject().put("name", "http").put("port", port);
    });
  }

  private static Resource clusterRole(String name, String verb) {
    return Resource.of("rbac.authorization.k8s.io/v1", "ClusterRole", null, name).withLabel(SUITE_LABEL, SUITE)
        .edit(t -> {
          ObjectNode rule = t.putArray("rules").addObject();
          rule.putArray("apiGroups").add("");
          rule.putArray("resources").add("configmaps");
          rule.putArray("verbs").add(verb);
        });
  }

  private static Resource autoscaler(String namespace, String name) {
    return Resource.of("autoscaling/v2", "HorizontalPodAutoscaler", namespace, name).withLabel(SUITE_LABEL, SUITE)
        .edit(t -> {
          ObjectNode spec = t.putObject("spec");
          spec.putObject("scaleTargetRef").put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", name);
          spec.put("minReplicas", 1);
          spec.put("maxReplicas", 3);
          ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
          resource.put("name", "cpu");
          resource.putObject("target").put("type", "Utilization").put("averageUtilization", 70);
        });
  }

  private static Resource withFinalizer(Resource r) {
    return r.edit(t -> ((ObjectNode) t.get("metadata")).putArray("finalizers").add(FINALIZER));
  }

  /** The object with the labels and annotations the plane puts on what it owns. */
  private static Resource owned(Resource r) {
    return r.withLabel(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER)
        .withLabel(Ownership.APPLICATION_LABEL, "shop.api")
        .withLabel(Ownership.COMPONENT_LABEL, "api")
        .withAnnotation(Ownership.CONTENT_HASH_ANNOTATION, "sha256:0123abcd")
        .withAnnotation(Ownership.APPLIED_FIELDS_ANNOTATION, "{\"data\":{\"k\":1}}");
  }

  private static JsonNode loadBalancerStatus(String ip) {
    ObjectNode status = Json.object();
    status.putObject("loadBalancer").putArray("ingress").addObject().put("ip", ip);
    return status;
  }

  private static ObjectNode data(ObjectNode tree) {
    JsonNode d = tree.get("data");
    return d instanceof ObjectNode o ? o : tree.putObject("data");
  }

  private static Map<String, String> data(Resource r) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode d = r.json().get("data");
    if (d != null) {
      d.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    }
    return out;
  }

  private static void resourceVersion(ObjectNode tree, String version) {
    ((ObjectNode) tree.get("metadata")).put("resourceVersion", version);
  }

  private static ResourceKey key(Resource r) {
    return r.key("");
  }

  private static List<Resource> suiteOnly(List<Resource> listed) {
    return listed.stream().filter(r -> SUITE.equals(r.label(SUITE_LABEL))).toList();
  }

  private static ClusterException catchClusterException(Supplier<?> call) {
    ClusterException e = catchThrowableOfType(ClusterException.class, call::get);
    assertThat(e).as("a ClusterException from the call, which returned normally").isNotNull();
    return e;
  }
}
