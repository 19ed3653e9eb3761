package io.orchestrationplane.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateValueTooLargeException;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.state.VersionConflict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The behaviour every {@link StateStore} must have, as an abstract JUnit Jupiter test class: extend
 * it, make {@link #newStore} return a store over empty state, and (for a backend that keeps state
 * across instances, and whose medium can be damaged) override {@link #durable}, {@link #reopen},
 * {@link #damageable} and {@link #damage}. The in-memory and file stores of core, the Kubernetes
 * store ({@code KubernetesStateStore}, over kubernetes-mock-server) and the JDBC store ({@code
 * JdbcStateStore}, over a real PostgreSQL) run it unchanged; see docs/state.md.
 *
 * <p>Concurrency tests start their writers together at a {@link CyclicBarrier} and check outcomes
 * that hold under every interleaving (exactly one of N conflicting writes wins), never timing.
 *
 * <pre>{@code
 * class MyStoreTest extends StateStoreContract {
 *   protected StateStore newStore(StateStore.Config config) { return MyStore.create(freshTable(), config); }
 * }
 * }</pre>
 *
 * <p>JUnit creates one instance per test; the stores it opens are closed after each test.
 */
public abstract class StateStoreContract {
  /** Writers in each race: more than the cores, so that they really interleave. */
  protected static final int WRITERS = 8;

  private static final StateKey SHOP = StateKey.of("workflows", "shop.release");
  private final List<StateStore> opened = new ArrayList<>();

  /** A new store over empty state, with {@code config}; the contract closes it. */
  protected abstract StateStore newStore(StateStore.Config config);

  /** Whether a new instance sees what an earlier one stored ({@link #reopen}). */
  protected boolean durable() {
    return false;
  }

  /**
   * A new instance over the state of the store {@link #newStore} made last, which the contract has
   * closed: what a restarted process sees.
   */
  protected StateStore reopen(StateStore.Config config) {
    throw new UnsupportedOperationException("not durable");
  }

  /** Whether {@link #damage} can damage stored content. */
  protected boolean damageable() {
    return false;
  }

  /** Damages the stored content of {@code key} (which exists) the way the backend's medium can be damaged. */
  protected void damage(StateStore store, StateKey key) throws Exception {
    throw new UnsupportedOperationException("cannot damage");
  }

  @AfterEach
  final void closeStores() {
    opened.forEach(StateStore::close);
  }

  /** A store with the default config. */
  protected final StateStore open() {
    return open(StateStore.Config.defaults());
  }

  /** A store with {@code config}, closed after the test. */
  protected final StateStore open(StateStore.Config config) {
    StateStore store = newStore(config);
    opened.add(store);
    return store;
  }

  /** Closes {@code store} and opens {@link #reopen} over its state: a restarted process. */
  protected final StateStore restart(StateStore store, StateStore.Config config) {
    store.close();
    StateStore again = reopen(config);
    opened.add(again);
    return again;
  }

  /** {@code {"step": step}}. */
  protected static JsonNode step(String step) {
    return Json.object().put("step", step);
  }

  /** The version of a {@link StateWriteResult.Written}, failing the test for a conflict. */
  protected static long written(StateWriteResult result) {
    assertThat(result).isInstanceOf(StateWriteResult.Written.class);
    return ((StateWriteResult.Written) result).version();
  }

  // ---- reads

  @Test
  void anAbsentKeyReadsAsEmptyAndAnUnknownNamespaceListsAsEmpty() {
    StateStore store = open();
    assertThat(store.get(SHOP)).isEmpty();
    assertThat(store.list("workflows")).isEmpty();
    assertThat(store.list("never-written", "a")).isEmpty();
  }

  @Test
  void createStoresTheValueAtAFirstVersionThatGetReturns() {
    StateStore store = open();
    long v = written(store.create(SHOP, step("apply-dev")));

    assertThat(v).isGreaterThanOrEqualTo(1);
    StateEntry entry = store.get(SHOP).orElseThrow();
    assertThat(entry.key()).isEqualTo(SHOP);
    assertThat(entry.version()).isEqualTo(v);
    assertThat(entry.value()).isEqualTo(step("apply-dev"));
  }

  @Test
  void valuesReadBackAsTheJsonTheyWriteToWithNestingUnicodeAndNumbers() {
    StateStore store = open();
    ObjectNode value = Json.object();
    value.put("text", "grüße, 日本, \"quoted\"\n\ttab \u0000 nul");
    value.put("long", Long.MAX_VALUE);
    value.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    value.put("double", 0.1);
    value.put("float", 1.5f);
    value.put("decimal", new java.math.BigDecimal("2.50"));
    value.put("yes", true);
    value.putNull("nothing");
    value.putArray("list").add(1).add("two").addObject().put("three", 3);
    value.putObject("nested").putObject("deeper").putArray("empty");
    store.create(SHOP, value);

    JsonNode expected = Json.readJson(Json.writeJson(value)); // floats and decimals read back as doubles
    assertThat(store.get(SHOP).orElseThrow().value()).isEqualTo(expected);
    assertThat(store.get(SHOP).orElseThrow().value().get("float").isDouble()).isTrue();

    StateKey scalar = StateKey.of("workflows", "scalar");
    store.create(scalar, Json.readJson("\"just a string\""));
    assertThat(store.get(scalar).orElseThrow().value().asString()).isEqualTo("just a string");
  }

  @Test
  void theStoreKeepsItsOwnCopyAndHandsEveryReaderAnother() {
    StateStore store = open();
    ObjectNode value = (ObjectNode) step("apply-dev");
    store.create(SHOP, value);
    value.put("step", "changed by the caller after the write");

    StateEntry first = store.get(SHOP).orElseThrow();
    ((ObjectNode) first.value()).put("step", "changed by a reader");

    assertThat(store.get(SHOP).orElseThrow().value()).isEqualTo(step("apply-dev"));
    assertThat(store.list("workflows").get(0).value()).isEqualTo(step("apply-dev"));
  }

  @Test
  void listReturnsOneNamespaceInNameOrder() {
    StateStore store = open();
    // Code point order: '-' < '.' < digits < letters.
    for (String name : List.of("shop.b", "shop", "shop-a", "shop.a", "shop0", "a")) {
      store.create(StateKey.of("workflows", name), step(name));
    }
    store.create(StateKey.of("revisions", "shop.a"), step("other namespace"));

    assertThat(store.list("workflows")).extracting(e -> e.key().name())
        .containsExactly("a", "shop", "shop-a", "shop.a", "shop.b", "shop0");
    assertThat(store.list("workflows")).extracting(StateEntry::value)
        .containsExactly(step("a"), step("shop"), step("shop-a"), step("shop.a"), step("shop.b"), step("shop0"));
    assertThat(store.list("revisions")).extracting(StateEntry::key).containsExactly(StateKey.of("revisions", "shop.a"));
  }

  @Test
  void listByPrefixReturnsOnlyNamesStartingWithIt() {
    StateStore store = open();
    for (String name : List.of("shop.0000000002", "shop.0000000001", "shops.0000000001", "shop", "shoe.1")) {
      store.create(StateKey.of("revisions", name), step(name));
    }

    assertThat(store.list("revisions", "shop.")).extracting(e -> e.key().name())
        .containsExactly("shop.0000000001", "shop.0000000002");
    assertThat(store.list("revisions", "shop")).extracting(e -> e.key().name())
        .containsExactly("shop", "shop.0000000001", "shop.0000000002", "shops.0000000001");
    assertThat(store.list("revisions", "")).hasSize(5);
    assertThat(store.list("revisions", "zebra")).isEmpty();
  }

  @Test
  void aFilteredListIsTheListOfTheValuesTheFilterAcceptsAndThoseAreCopies() {
    StateStore store = open();
    for (String name : List.of("shop.b", "shop", "shop-a", "shop.a", "cart")) {
      store.create(StateKey.of("workflows", name), step(name));
    }
    store.create(StateKey.of("revisions", "shop.c"), step("shop.c"));
    store.compareAndSet(StateKey.of("workflows", "shop.a"), store.get(StateKey.of("workflows", "shop.a")).orElseThrow()
        .version(), step("shop.a, again"));

    List<String> seen = new ArrayList<>();
    List<StateEntry> found = store.list("workflows", "shop", v -> {
      seen.add(v.get("step").asString());
      return v.get("step").asString().contains(".");
    });
    assertThat(found).extracting(e -> e.key().name()).containsExactly("shop.a", "shop.b");
    List<StateEntry> all = store.list("workflows", "shop");
    assertThat(found).containsExactly(all.get(2), all.get(3)); // same keys, versions and values as list's
    assertThat(seen).as("the filter saw each listed value once").containsExactlyInAnyOrder("shop", "shop-a",
        "shop.a, again", "shop.b");
    ((ObjectNode) found.get(0).value()).put("step", "changed by a reader");
    assertThat(store.get(StateKey.of("workflows", "shop.a")).orElseThrow().value()).isEqualTo(step("shop.a, again"));
    assertThat(store.list("workflows", "", v -> false)).isEmpty();
    assertThat(store.list("workflows", "", v -> true)).isEqualTo(store.list("workflows"));
    assertThatThrownBy(() -> store.list("Workflows", "", v -> true)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listRefusesAnInvalidNamespaceOrPrefix() {
    StateStore store = open();
    assertThatThrownBy(() -> store.list("Workflows")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace 'Workflows'");
    assertThatThrownBy(() -> store.list("workflows", "../x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix '../x'");
  }

  @Test
  void theSameNameInTwoNamespacesIsTwoKeys() {
    StateStore store = open();
    StateKey a = StateKey.of("workflows", "shop");
    StateKey b = StateKey.of("revisions", "shop");
    long va = written(store.create(a, step("a")));
    store.create(b, step("b"));
    store.delete(b, store.get(b).orElseThrow().version());

    assertThat(store.get(a).orElseThrow().value()).isEqualTo(step("a"));
    assertThat(store.get(a).orElseThrow().version()).isEqualTo(va);
    assertThat(store.get(b)).isEmpty();
  }

  // ---- create-only and compare-and-set

  @Test
  void createOfAnExistingKeyIsAConflictCarryingTheCurrentVersionAndChangesNothing() {
    StateStore store = open();
    long v1 = written(store.create(SHOP, step("first")));
    long v2 = written(store.compareAndSet(SHOP, v1, step("second")));

    StateWriteResult again = store.create(SHOP, step("third"));

    assertThat(again).isEqualTo(new VersionConflict(SHOP, StateStore.ABSENT, v2));
    assertThat(again.written()).isFalse();
    assertThat(((VersionConflict) again).exists()).isTrue();
    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v2, step("second")));
  }

  @Test
  void compareAndSetWithTheCurrentVersionWritesAtAHigherVersion() {
    StateStore store = open();
    long v1 = written(store.create(SHOP, step("apply-dev")));
    long v2 = written(store.compareAndSet(SHOP, v1, step("approve")));
    long v3 = written(store.compareAndSet(SHOP, v2, step("apply-prod")));

    assertThat(v2).isGreaterThan(v1);
    assertThat(v3).isGreaterThan(v2);
    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v3, step("apply-prod")));
  }

  @Test
  void compareAndSetWithAStaleVersionIsAConflictCarryingTheCurrentVersionAndChangesNothing() {
    StateStore store = open();
    long v1 = written(store.create(SHOP, step("apply-dev")));
    long v2 = written(store.compareAndSet(SHOP, v1, step("approve")));

    StateWriteResult stale = store.compareAndSet(SHOP, v1, step("lost update"));

    assertThat(stale).isEqualTo(new VersionConflict(SHOP, v1, v2));
    assertThat(((VersionConflict) stale).message()).isEqualTo(
        "workflows/shop.release: expected version " + v1 + ", found version " + v2);
    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v2, step("approve")));
  }

  @Test
  void compareAndSetOnAnAbsentKeyIsAConflictSayingItDoesNotExist() {
    StateStore store = open();

    StateWriteResult r = store.compareAndSet(SHOP, 3, step("x"));

    assertThat(r).isEqualTo(new VersionConflict(SHOP, 3, StateStore.ABSENT));
    assertThat(((VersionConflict) r).exists()).isFalse();
    assertThat(((VersionConflict) r).message()).isEqualTo("workflows/shop.release: expected version 3, found no value");
    assertThat(store.get(SHOP)).isEmpty();
  }

  @Test
  void compareAndSetExpectingAbsenceIsACreate() {
    StateStore store = open();
    long v = written(store.compareAndSet(SHOP, StateStore.ABSENT, step("apply-dev")));

    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v, step("apply-dev")));
    assertThat(store.compareAndSet(SHOP, StateStore.ABSENT, step("again")))
        .isEqualTo(new VersionConflict(SHOP, StateStore.ABSENT, v));
  }

  @Test
  void writesRefuseMissingArgumentsAndImpossibleVersions() {
    StateStore store = open();
    assertThatThrownBy(() -> store.compareAndSet(SHOP, -1, step("x"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected version of workflows/shop.release must be >= 0");
    assertThatThrownBy(() -> store.delete(SHOP, StateStore.ABSENT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be >= 1");
    assertThatThrownBy(() -> store.create(SHOP, Json.object().path("absent")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing node");
    assertThatThrownBy(() -> store.create(null, step("x"))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.create(SHOP, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
    assertThat(store.get(SHOP)).isEmpty();
  }

  // ---- deletes

  @Test
  void deleteWithTheCurrentVersionRemovesTheKey() {
    StateStore store = open();
    long v = written(store.create(SHOP, step("done")));

    assertThat(store.delete(SHOP, v)).isEqualTo(new DeleteResult.Deleted(SHOP, v));
    assertThat(store.get(SHOP)).isEmpty();
    assertThat(store.list("workflows")).isEmpty();
  }

  @Test
  void deleteWithAStaleVersionIsAConflictAndKeepsTheValue() {
    StateStore store = open();
    long v1 = written(store.create(SHOP, step("apply-dev")));
    long v2 = written(store.compareAndSet(SHOP, v1, step("approve")));

    DeleteResult r = store.delete(SHOP, v1);

    assertThat(r).isEqualTo(new VersionConflict(SHOP, v1, v2));
    assertThat(r.deleted()).isFalse();
    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v2, step("approve")));
  }

  @Test
  void deleteOfAnAbsentKeyIsAConflictSayingItDoesNotExist() {
    StateStore store = open();
    assertThat(store.delete(SHOP, 1)).isEqualTo(new VersionConflict(SHOP, 1, StateStore.ABSENT));
  }

  @Test
  void aKeyCreatedAgainAfterADeleteNeverRepeatsAVersion() {
    StateStore store = open();
    long v1 = written(store.create(SHOP, step("first life")));
    long v2 = written(store.compareAndSet(SHOP, v1, step("first life, later")));
    store.delete(SHOP, v2);

    long reborn = written(store.create(SHOP, step("second life")));

    assertThat(reborn).isGreaterThan(v2);
    // A writer still holding a version of the first life cannot overwrite the second.
    assertThat(store.compareAndSet(SHOP, v1, step("stale"))).isEqualTo(new VersionConflict(SHOP, v1, reborn));
    assertThat(store.compareAndSet(SHOP, v2, step("stale"))).isEqualTo(new VersionConflict(SHOP, v2, reborn));
    assertThat(store.delete(SHOP, v2)).isEqualTo(new VersionConflict(SHOP, v2, reborn));
  }

  // ---- limits

  @Test
  void aValueUpToTheLimitIsStoredAndOneByteMoreIsRefusedNamingTheSizes() {
    StateStore store = open(StateStore.Config.custom().maxValueBytes(100).build());
    JsonNode atLimit = Json.object().put("s", "x".repeat(92)); // {"s":"…"}: 8 bytes + 92
    JsonNode overLimit = Json.object().put("s", "é".repeat(46) + "x"); // é is 2 bytes of UTF-8: 8 + 93
    long v = written(store.create(SHOP, atLimit));

    assertThatThrownBy(() -> store.compareAndSet(SHOP, v, overLimit))
        .isInstanceOfSatisfying(StateValueTooLargeException.class, e -> {
          assertThat(e.key()).isEqualTo(SHOP);
          assertThat(e.size()).isEqualTo(101);
          assertThat(e.limit()).isEqualTo(100);
        })
        .hasMessageContaining("value for workflows/shop.release is 101 bytes of compact JSON, over the state store's "
            + "limit of 100 bytes");
    assertThatThrownBy(() -> store.create(StateKey.of("workflows", "other"), overLimit))
        .isInstanceOf(StateValueTooLargeException.class);

    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v, atLimit));
    assertThat(store.get(StateKey.of("workflows", "other"))).isEmpty();
    assertThat(store.config().maxValueBytes()).isEqualTo(100);
  }

  @Test
  void theDefaultLimitIsTheConfigMapSizedOne() {
    StateStore store = open();
    assertThat(store.config()).isEqualTo(StateStore.Config.defaults());
    JsonNode tooLarge = Json.object().put("s", "x".repeat(StateStore.Config.DEFAULT_MAX_VALUE_BYTES));
    assertThatThrownBy(() -> store.create(SHOP, tooLarge)).isInstanceOf(StateValueTooLargeException.class);
    assertThat(store.get(SHOP)).isEmpty();
  }

  // ---- concurrency

  @Test
  void ofConcurrentCompareAndSetsFromOneVersionExactlyOneWins() throws Exception {
    StateStore store = open();
    long v1 = written(store.create(SHOP, step("start")));

    List<StateWriteResult> results = race(WRITERS, i -> store.compareAndSet(SHOP, v1, step("writer " + i)));

    List<StateWriteResult.Written> wins = results.stream().filter(StateWriteResult.Written.class::isInstance)
        .map(StateWriteResult.Written.class::cast).toList();
    assertThat(wins).hasSize(1);
    long winner = wins.get(0).version();
    assertThat(results).filteredOn(r -> !r.written()).hasSize(WRITERS - 1)
        .allSatisfy(r -> assertThat(r).isEqualTo(new VersionConflict(SHOP, v1, winner)));
    StateEntry now = store.get(SHOP).orElseThrow();
    assertThat(now.version()).isEqualTo(winner);
    assertThat(now.value()).isEqualTo(step("writer " + results.indexOf(wins.get(0))));
  }

  @Test
  void ofConcurrentCreatesOfOneKeyExactlyOneWins() throws Exception {
    StateStore store = open();

    List<StateWriteResult> results = race(WRITERS, i -> store.create(SHOP, step("writer " + i)));

    assertThat(results).filteredOn(StateWriteResult::written).hasSize(1);
    int winner = results.indexOf(results.stream().filter(StateWriteResult::written).findFirst().orElseThrow());
    long version = ((StateWriteResult.Written) results.get(winner)).version();
    assertThat(results).filteredOn(r -> !r.written())
        .allSatisfy(r -> assertThat(r).isEqualTo(new VersionConflict(SHOP, StateStore.ABSENT, version)));
    assertThat(store.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, version, step("writer " + winner)));
  }

  @Test
  void ofConcurrentDeletesWithOneVersionExactlyOneWins() throws Exception {
    StateStore store = open();
    long v = written(store.create(SHOP, step("done")));

    List<DeleteResult> results = race(WRITERS, i -> store.delete(SHOP, v));

    assertThat(results).filteredOn(DeleteResult::deleted).containsExactly(new DeleteResult.Deleted(SHOP, v));
    assertThat(results).filteredOn(r -> !r.deleted()).hasSize(WRITERS - 1)
        .allSatisfy(r -> assertThat(r).isEqualTo(new VersionConflict(SHOP, v, StateStore.ABSENT)));
    assertThat(store.get(SHOP)).isEmpty();
  }

  @Test
  void concurrentReadModifyWriteLoopsLoseNoUpdate() throws Exception {
    StateStore store = open();
    StateKey counter = StateKey.of("workflows", "counter");
    store.create(counter, Json.object().put("count", 0));
    int perWriter = 10;

    List<List<Long>> versionsPerWriter = race(4, i -> {
      List<Long> mine = new ArrayList<>();
      for (int n = 0; n < perWriter; n++) {
        while (true) {
          StateEntry e = store.get(counter).orElseThrow();
          StateWriteResult r = store.compareAndSet(counter, e.version(),
              Json.object().put("count", e.value().get("count").asInt() + 1));
          if (r instanceof StateWriteResult.Written w) {
            mine.add(w.version());
            break;
          }
        }
      }
      return mine;
    });

    StateEntry end = store.get(counter).orElseThrow();
    assertThat(end.value().get("count").asInt()).isEqualTo(4 * perWriter);
    Set<Long> all = new HashSet<>();
    versionsPerWriter.forEach(all::addAll);
    assertThat(all).hasSize(4 * perWriter); // every successful write got a version of its own
    assertThat(versionsPerWriter).allSatisfy(mine -> assertThat(mine).isSorted());
    assertThat(end.version()).isEqualTo(all.stream().mapToLong(Long::longValue).max().orElseThrow());
  }

  @Test
  void concurrentWritersOfDifferentKeysAllSucceed() throws Exception {
    StateStore store = open();

    List<StateWriteResult> results = race(WRITERS, i -> store.create(StateKey.of("workflows", "app-" + i), step("" + i)));

    assertThat(results).allMatch(StateWriteResult::written);
    assertThat(store.list("workflows")).hasSize(WRITERS);
  }

  /** Runs {@code op(0..n-1)} on n threads released together; results in index order. */
  protected static <T> List<T> race(int n, IntFunction<T> op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CyclicBarrier start = new CyclicBarrier(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> task = () -> {
          start.await(1, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
          return op.apply(index);
        };
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- lifecycle

  @Test
  void callsOnAClosedStoreFailAndCloseIsIdempotent() {
    StateStore store = open();
    store.create(SHOP, step("x"));
    store.close();
    store.close();

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.list("workflows")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.create(SHOP, step("y"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.compareAndSet(SHOP, 1, step("y"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.delete(SHOP, 1)).isInstanceOf(IllegalStateException.class);
  }

  // ---- durability (backends that keep state across instances)

  @Test
  void aRestartedStoreSeesTheSameValuesVersionsAndHistory() {
    assumeTrue(durable(), "not a durable backend");
    StateStore store = open();
    long shop = written(store.create(SHOP, step("apply-dev")));
    shop = written(store.compareAndSet(SHOP, shop, step("approve")));
    StateKey gone = StateKey.of("workflows", "gone");
    long goneVersion = written(store.create(gone, step("1")));
    goneVersion = written(store.compareAndSet(gone, goneVersion, step("2")));
    goneVersion = written(store.compareAndSet(gone, goneVersion, step("3")));
    store.delete(gone, goneVersion);
    List<StateEntry> before = store.list("workflows");

    StateStore restarted = restart(store, StateStore.Config.defaults());

    assertThat(restarted.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, shop, step("approve")));
    assertThat(restarted.list("workflows")).isEqualTo(before);
    assertThat(restarted.get(gone)).isEmpty();
    long next = written(restarted.compareAndSet(SHOP, shop, step("apply-prod")));
    assertThat(next).isGreaterThan(shop);
    long reborn = written(restarted.create(gone, step("again")));
    assertThat(reborn).as("versions of a deleted key do not start over after a restart").isGreaterThan(goneVersion);
  }

  // ---- damaged content (backends whose medium can be damaged)

  @Test
  void damagedContentIsAnErrorNamingWhereItIsAndOtherKeysStayUsable() throws Exception {
    assumeTrue(damageable(), "content of this backend cannot be damaged");
    StateStore store = open();
    StateKey damaged = StateKey.of("workflows", "a-damaged");
    StateKey sibling = StateKey.of("workflows", "b-sibling");
    StateKey elsewhere = StateKey.of("revisions", "c");
    long damagedVersion = written(store.create(damaged, step("a")));
    long siblingVersion = written(store.create(sibling, step("b")));
    store.create(elsewhere, step("c"));

    damage(store, damaged);

    assertThatThrownBy(() -> store.get(damaged)).isInstanceOfSatisfying(CorruptStateException.class, e -> {
      assertThat(e.key()).contains(damaged);
      assertThat(e.location()).isNotBlank();
      assertThat(e.getMessage()).contains(e.location()).contains("workflows/a-damaged");
    });
    // Never a silent partial list: the namespace fails until the content is restored or removed.
    assertThatThrownBy(() -> store.list("workflows")).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("workflows/a-damaged");
    assertThatThrownBy(() -> store.compareAndSet(damaged, damagedVersion, step("x")))
        .isInstanceOf(CorruptStateException.class);
    assertThatThrownBy(() -> store.create(damaged, step("x"))).isInstanceOf(CorruptStateException.class);
    assertThatThrownBy(() -> store.delete(damaged, damagedVersion)).isInstanceOf(CorruptStateException.class);

    assertThat(store.get(sibling).orElseThrow()).isEqualTo(new StateEntry(sibling, siblingVersion, step("b")));
    assertThat(store.list("workflows", "b")).extracting(StateEntry::key).containsExactly(sibling);
    assertThat(store.list("revisions")).extracting(StateEntry::key).containsExactly(elsewhere);
    assertThat(store.compareAndSet(sibling, siblingVersion, step("b2")).written()).isTrue();
    assertThat(store.create(StateKey.of("workflows", "c-new"), step("c")).written()).isTrue();
  }
}
