package io.orchestrationplane.core.release;

import static io.orchestrationplane.core.release.RevisionsTest.ALICE;
import static io.orchestrationplane.core.release.RevisionsTest.APP;
import static io.orchestrationplane.core.release.RevisionsTest.BOB;
import static io.orchestrationplane.core.release.RevisionsTest.image;
import static io.orchestrationplane.core.release.RevisionsTest.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Revisions in a durable store: restarts, planes sharing a store, races for a number, damage. */
class RevisionStoreTest {
  @TempDir
  Path dir;

  final ManualClock clock = ManualClock.create();
  final InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();

  OrchestrationPlane plane(StateStore store) {
    return OrchestrationPlane.builder().clock(clock).cluster(dev).readinessGates(false).logging(false)
        .stateStore(store).build();
  }

  static Application other(String image) {
    return Application.builder("cart").namespace("shop")
        .component(Component.builder("cart", "worker").property("image", image).build())
        .build();
  }

  @Test
  void aRestartedPlaneSeesTheHistoryAndContinuesTheNumbering() {
    List<Revision> before;
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane first = plane(store)) {
      first.apply(shop("acme/api:1", "s3cret-one"), ALICE, Origin.file("shop.yaml"));
      first.apply(shop("acme/api:2", "s3cret-two"), BOB, Origin.text());
      before = first.history(APP);
    }
    assertThat(dir.resolve("revisions/shop.shop.0000000001.json")).exists();
    assertThat(dir.resolve("revisions/shop.shop.0000000002.json")).exists();

    try (StateStore store = StateStore.directory(dir); OrchestrationPlane second = plane(store)) {
      assertThat(second.history(APP)).isEqualTo(before);
      // a new plane has a new random redaction key, yet the digest of the same state is the same
      second.apply(shop("acme/api:2", "s3cret-two"));
      assertThat(second.history(APP)).hasSize(2);
      second.apply(shop("acme/api:3", "s3cret-two"));
      assertThat(second.history(APP)).extracting(Revision::number).containsExactly(3L, 2L, 1L);
      second.rollback(APP, 1);
      assertThat(image(dev)).isEqualTo("acme/api:1");
      assertThat(second.history(APP).get(0).digest()).isEqualTo(before.get(1).digest());
    }
  }

  @Test
  void theStoredFilesHoldNoSecretInTheDigestSourceOrNotices() throws IOException {
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane p = plane(store)) {
      p.apply(shop("acme/api:1", "hunter2-canary"));
      JsonNode stored = store.get(StateKey.of("revisions", "shop.shop.0000000001")).orElseThrow().value();
      // the model is kept as the codec writes it (docs/delivery.md says so); nothing else holds the value
      JsonNode withoutModel = stored.deepCopy();
      ((tools.jackson.databind.node.ObjectNode) withoutModel).remove("model");
      assertThat(Json.writeJson(withoutModel)).doesNotContain("hunter2");
      assertThat(Json.writeJson(stored.get("model"))).contains("hunter2-canary");
    }
  }

  @Test
  void twoPlanesOnOneStoreShareOneNumbering() {
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane a = plane(store);
        OrchestrationPlane b = plane(store)) {
      a.apply(shop("acme/api:1", "s3cret-one"), ALICE, Origin.code());
      b.apply(shop("acme/api:2", "s3cret-one"), BOB, Origin.code());
      a.apply(shop("acme/api:3", "s3cret-one"), ALICE, Origin.code());
      b.apply(shop("acme/api:3", "s3cret-one"), BOB, Origin.code()); // what a recorded: nothing new
      assertThat(a.history(APP)).isEqualTo(b.history(APP));
      assertThat(b.history(APP)).extracting(r -> r.number() + " " + r.source().subject().name())
          .containsExactly("3 alice@example.com", "2 bob@example.com", "1 alice@example.com");
    }
  }

  @Test
  void planesRecordingAtTheSameTimeNeitherLoseNorDuplicateANumber() throws Exception {
    int changes = 15;
    try (StateStore store = StateStore.directory(dir)) {
      // each plane deploys to a cluster of its own named "dev", so only the store is shared
      List<OrchestrationPlane> planes = List.of(
          OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.builder("dev").clock(clock).build())
              .readinessGates(false).logging(false).stateStore(store).revisionHistoryLimit(100).build(),
          OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.builder("dev").clock(clock).build())
              .readinessGates(false).logging(false).stateStore(store).revisionHistoryLimit(100).build());
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int p = 0; p < 2; p++) {
          int plane = p;
          done.add(threads.submit(() -> {
            start.await();
            for (int i = 1; i <= changes; i++) {
              planes.get(plane).apply(shop("acme/api:" + plane + "." + i, "s3cret-one"));
            }
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
        planes.forEach(OrchestrationPlane::close);
      }
      try (OrchestrationPlane reader = plane(store)) {
        List<Revision> history = reader.history(APP);
        assertThat(history).extracting(Revision::number)
            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2L * changes).boxed()
                .sorted(java.util.Comparator.reverseOrder()).toList());
        assertThat(history).extracting(r -> r.model().component("api").orElseThrow().properties().get("image"))
            .doesNotHaveDuplicates().hasSize(2 * changes);
      }
    }
  }

  @Test
  void aPlaneThatLosesTheRaceForANumberTakesTheNextOne() {
    try (StateStore files = StateStore.directory(dir)) {
      AtomicReference<Runnable> beforeFirstRevision = new AtomicReference<>();
      StateStore racing = new Interleaving(files, beforeFirstRevision);
      try (OrchestrationPlane a = plane(racing); OrchestrationPlane b = plane(files)) {
        a.apply(shop("acme/api:1", "s3cret-one"), ALICE, Origin.code());
        // B records revision 2 between A reading the history and A creating revision 2
        beforeFirstRevision.set(() -> b.apply(shop("acme/api:2", "s3cret-one"), BOB, Origin.code()));
        a.apply(shop("acme/api:3", "s3cret-one"), ALICE, Origin.code());
        List<Revision> history = a.history(APP);
        assertThat(history).extracting(r -> r.number() + " " + r.source().subject().name())
            .containsExactly("3 alice@example.com", "2 bob@example.com", "1 alice@example.com");
        assertThat(history.get(0).model()).isEqualTo(shop("acme/api:3", "s3cret-one"));
        assertThat(history.get(1).model()).isEqualTo(shop("acme/api:2", "s3cret-one"));
      }
    }
  }

  @Test
  void aSetWhoseHistoryCannotBeReadClaimsNothing() throws IOException {
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane p = plane(store)) {
      p.apply(shop("acme/api:1", "s3cret-one"));
      Path file = dir.resolve("revisions/shop.shop.0000000001.json");
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // a torn write

      // the cart is read first, shop.shop's history fails: neither is submitted nor claims its objects
      assertThatThrownBy(() -> p.submitAll(List.of(
              new OrchestrationPlane.Submission(other("acme/cart:1"), Origin.code()),
              new OrchestrationPlane.Submission(shop("acme/api:2", "s3cret-one"), Origin.code())),
          io.orchestrationplane.core.model.DriftPolicy.CORRECT, ALICE))
          .isInstanceOf(CorruptStateException.class);
      assertThat(p.statuses()).isEmpty();
      Application sameObjects = Application.builder("basket").namespace("shop")
          .component(Component.builder("cart", "worker").property("image", "acme/cart:9").build()).build();
      p.submit(sameObjects); // renders what shop.cart would have: free, as nothing was claimed
      assertThat(p.statuses()).containsOnlyKeys("shop.basket");
    }
  }

  @Test
  void aDamagedRevisionFileIsReportedByNameAndOtherApplicationsStayUsable() throws IOException {
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane p = plane(store)) {
      p.apply(shop("acme/api:1", "s3cret-one"));
      p.apply(shop("acme/api:2", "s3cret-one"));
      p.apply(other("acme/cart:1"));
      Path file = dir.resolve("revisions/shop.shop.0000000001.json");
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // a torn write

      assertThatThrownBy(() -> p.history(APP))
          .isInstanceOf(CorruptStateException.class)
          .hasMessageContaining("revision history of shop.shop")
          .hasMessageContaining(file.toString())
          .satisfies(e -> assertThat(((CorruptStateException) e).location()).contains(file.toString()))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
      assertThatThrownBy(() -> p.apply(shop("acme/api:3", "s3cret-one"))).isInstanceOf(CorruptStateException.class);
      assertThat(image(dev)).as("refused before writing: no change goes unrecorded").isEqualTo("acme/api:2");
      assertThatThrownBy(() -> p.rollback(APP, 2)).isInstanceOf(CorruptStateException.class);

      assertThat(p.history("shop.cart")).hasSize(1);
      p.apply(other("acme/cart:2"));
      assertThat(p.history("shop.cart")).extracting(Revision::number).containsExactly(2L, 1L);

      Files.delete(file); // restored by removing it: the rest of the history reads again
      assertThat(p.history(APP)).extracting(Revision::number).containsExactly(2L);
    }
  }

  @Test
  void aRevisionThatIsValidJsonButNotARevisionIsReportedNeverHalfRead() {
    StateStore store = StateStore.inMemory();
    try (OrchestrationPlane p = plane(store)) {
      p.apply(shop("acme/api:1", "s3cret-one"));
      store.create(StateKey.of("revisions", "shop.shop.0000000002"),
          Json.readJson("{\"format\":1,\"application\":\"shop.shop\",\"number\":2,\"digest\":\"sha256:x\"}"));
      assertThatThrownBy(() -> p.history(APP))
          .isInstanceOf(CorruptStateException.class)
          .hasMessageContaining("revisions/shop.shop.0000000002")
          .hasMessageContaining("field 'subject' is missing");
      assertThat(p.revision(APP, 1)).isPresent();

      store.create(StateKey.of("revisions", "shop.shop.0000000003"), Json.readJson(
          Json.writeJson(store.get(StateKey.of("revisions", "shop.shop.0000000001")).orElseThrow().value())));
      assertThatThrownBy(() -> p.revision(APP, 3))
          .isInstanceOf(CorruptStateException.class)
          .hasMessageContaining("its number is not 3 as its key says");
    }
  }

  @Test
  void anIdThatNoApplicationCanHaveIsRefused() {
    try (OrchestrationPlane p = plane(StateStore.inMemory())) {
      assertThatThrownBy(() -> p.history("Shop/Checkout"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'Shop/Checkout' is not an application id");
    }
  }

  /** A store that runs a hook once, before the first create of a revision, as another plane would. */
  static final class Interleaving implements StateStore {
    private final StateStore delegate;
    private final AtomicReference<Runnable> hook;

    Interleaving(StateStore delegate, AtomicReference<Runnable> hook) {
      this.delegate = delegate;
      this.hook = hook;
    }

    @Override
    public Config config() {
      return delegate.config();
    }

    @Override
    public Optional<StateEntry> get(StateKey key) {
      return delegate.get(key);
    }

    @Override
    public List<StateEntry> list(String namespace, String namePrefix) {
      return delegate.list(namespace, namePrefix);
    }

    @Override
    public StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value) {
      if (key.namespace().equals("revisions") && expectedVersion == ABSENT) {
        Runnable r = hook.getAndSet(null);
        if (r != null) {
          r.run();
        }
      }
      return delegate.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public DeleteResult delete(StateKey key, long expectedVersion) {
      return delegate.delete(key, expectedVersion);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
