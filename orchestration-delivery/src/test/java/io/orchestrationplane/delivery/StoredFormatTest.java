package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored workflow document across formats: format 1 (written before definitions were stored
 * once, each run carrying its workflow) is still read and resumed; format 2 runs name their
 * workflow by digest in {@code workflow-definitions}.
 */
class StoredFormatTest {
  /** The files a directory store held after an engine of format 1 started a run and claimed its first apply. */
  private static final List<String> FORMAT_1 = List.of("delivery-keys/digest.json", "releases/shop.shop.0000000001.json",
      "workflows/shop.shop.json");

  @TempDir
  Path dir;

  private final ManualClock clock = ManualClock.at(Fixture.MONDAY_10_BERLIN);
  private final InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();
  private final InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
  private final InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();

  /** The workflow the format 1 engine started (the same steps as {@code DirectoryStoreRestartTest}). */
  private static Workflow release() {
    return Workflow.builder("release")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.approval("approve", ApprovalRule.of(1, "alice")))
        .step(Step.promote("to-prod", "dev", "prod", Duration.ofMinutes(5)))
        .build();
  }

  private void copyFormat1() throws IOException {
    for (String file : FORMAT_1) {
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = StoredFormatTest.class.getResourceAsStream("format1-store/" + file)) {
        Files.copy(in, target);
      }
    }
  }

  private OrchestrationPlane plane(StateStore store) {
    return OrchestrationPlane.builder().clock(clock).logging(false).cluster(dev).cluster(staging).cluster(prod)
        .stateStore(store).build();
  }

  @Test
  void aRunStartedByAFormat1EngineResumesAndFinishes() throws IOException {
    copyFormat1();
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane plane = plane(store)) {
      ObjectNode old = (ObjectNode) store.get(StateKey.of("workflows", "shop.shop")).orElseThrow().value();
      assertThat(old.get("format").asInt()).isEqualTo(1);
      assertThat(old.get("run").get("workflow").isObject()).as("a format 1 run carries its workflow").isTrue();

      Delivery delivery = Delivery.builder().plane(plane).store(store).identity("engine-1").build();
      assertThat(delivery.status("shop.shop").run().orElseThrow().workflow()).isEqualTo("release");
      Release again = delivery.start(Fixture.shop("1.0"), release(), Subject.of("dana"), Origin.code());
      assertThat(again.number()).as("the same model through the same workflow is the running release").isEqualTo(1);
      assertThat(delivery.status("shop.shop").run().orElseThrow().number()).isEqualTo(1);

      delivery.runPending(); // the claimed apply of dev, by the engine that claimed it
      assertThat(dev.get(new ResourceKey("dev", "", "ConfigMap", "shop-dev", "settings"))).isPresent();
      assertThat(delivery.status("shop.shop").activeSteps()).extracting(ReleaseStatus.StepStatus::name)
          .containsExactly("approve");
      delivery.approve("shop.shop", "approve", again.digest(), Subject.of("alice"), "ok");
      delivery.runPending();
      clock.advance(Duration.ofMinutes(5));
      delivery.runPending();
      ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
      assertThat(run.phase()).isEqualTo(ReleaseStatus.RunPhase.SUCCEEDED);
      assertThat(prod.get(new ResourceKey("prod", "", "ConfigMap", "shop-prod", "settings"))).isPresent();
      assertThat(plane.history("shop.shop-dev")).as("dev applied once").hasSize(1);
      ObjectNode after = (ObjectNode) store.get(StateKey.of("workflows", "shop.shop")).orElseThrow().value();
      assertThat(after.get("run").get("workflow").isObject()).as("the old run keeps its own workflow").isTrue();
      assertThat(store.list("workflow-definitions")).as("nothing was defined for it").isEmpty();

      // a new release on the same document: format 2, its workflow stored once under its digest
      delivery.start(Fixture.shop("2.0"), release(), Subject.of("dana"), Origin.code());
      ObjectNode next = (ObjectNode) store.get(StateKey.of("workflows", "shop.shop")).orElseThrow().value();
      assertThat(next.get("format").asInt()).isEqualTo(2);
      assertThat(next.get("run").has("workflow")).isFalse();
      String definition = next.get("run").get("definition").asString();
      assertThat(definition).startsWith("sha256:");
      List<StateEntry> defs = store.list("workflow-definitions");
      assertThat(defs).singleElement().satisfies(e -> {
        assertThat("sha256:" + e.key().name()).isEqualTo(definition);
        assertThat(e.value().get("workflow").get("metadata").get("name").asString()).isEqualTo("release");
      });
      assertThat(next.get("history").get(0).get("phase").asString()).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void applicationsWithTheSameWorkflowShareOneDefinitionAndAFreshEngineReadsIt() {
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane plane = plane(store)) {
      Delivery first = Delivery.builder().plane(plane).store(store).identity("engine-1").build();
      first.start(Fixture.shop("1.0"), release(), Subject.of("dana"), Origin.code());
      first.start(cart(), release(), Subject.of("dana"), Origin.code());
      assertThat(store.list("workflow-definitions")).hasSize(1);
      first.runPending();

      Delivery fresh = Delivery.builder().plane(plane).store(store).identity("engine-2").build();
      assertThat(fresh.status("shop.cart").activeSteps()).extracting(ReleaseStatus.StepStatus::name)
          .containsExactly("approve");
      fresh.approve("shop.cart", "approve", Subject.of("alice"), "ok");
      fresh.runPending();
      clock.advance(Duration.ofMinutes(5));
      fresh.runPending();
      assertThat(fresh.status("shop.cart").run().orElseThrow().phase()).isEqualTo(ReleaseStatus.RunPhase.SUCCEEDED);
    }
  }

  @Test
  void eachRunNamesTheDefinitionOfItsOwnWorkflowWhateverWasStartedBefore() {
    Workflow quick = Workflow.builder("quick").step(Step.apply("deploy-dev", "dev")).build();
    Workflow release = release();
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane plane = plane(store)) {
      Delivery delivery = Delivery.builder().plane(plane).store(store).build();
      delivery.start(Fixture.shop("1.0"), release, Subject.of("dana"), Origin.code());
      delivery.start(cart(), quick, Subject.of("dana"), Origin.code());
      String shopDefinition = definitionOf(store, "shop.shop");
      String cartDefinition = definitionOf(store, "shop.cart");
      assertThat(shopDefinition).isNotEqualTo(cartDefinition);
      assertThat(store.list("workflow-definitions")).extracting(e -> "sha256:" + e.key().name())
          .containsExactlyInAnyOrder(shopDefinition, cartDefinition);

      // the same value again (another instance, then the last one started), then the other
      delivery.start(Fixture.shop("1.1"), release(), Subject.of("dana"), Origin.code());
      assertThat(definitionOf(store, "shop.shop")).isEqualTo(shopDefinition);
      delivery.start(cart(), release, Subject.of("dana"), Origin.code());
      assertThat(definitionOf(store, "shop.cart")).isEqualTo(shopDefinition);
      delivery.start(Fixture.shop("1.2"), quick, Subject.of("dana"), Origin.code());
      assertThat(definitionOf(store, "shop.shop")).isEqualTo(cartDefinition);
      assertThat(store.list("workflow-definitions")).hasSize(2);
    }
  }

  private static String definitionOf(StateStore store, String application) {
    return store.get(StateKey.of("workflows", application)).orElseThrow().value().get("run").get("definition").asString();
  }

  /** A second application beside the shop, in its own namespaces. */
  private static io.orchestrationplane.core.model.Application cart() {
    var b = io.orchestrationplane.core.model.Application.builder("cart").namespace("shop")
        .component(io.orchestrationplane.core.model.Component.builder("settings", "k8s-objects")
            .property("objects", List.of(java.util.Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", java.util.Map.of("name", "settings"), "data", java.util.Map.of("version", "1.0"))))
            .build());
    for (String env : List.of("dev", "staging", "prod")) {
      b.environment(io.orchestrationplane.core.model.Environment.builder(env).namespace("cart-" + env).clusters(env).build());
    }
    return b.build();
  }

  @Test
  void aDefinitionThatDoesNotMatchItsDigestIsRefusedNamingItsKey() {
    try (StateStore store = StateStore.directory(dir); OrchestrationPlane plane = plane(store)) {
      Delivery first = Delivery.builder().plane(plane).store(store).build();
      first.start(Fixture.shop("1.0"), release(), Subject.of("dana"), Origin.code());
      StateEntry def = store.list("workflow-definitions").get(0);
      ObjectNode edited = (ObjectNode) def.value();
      ((ObjectNode) edited.get("workflow").get("metadata")).put("name", "edited");
      store.compareAndSet(def.key(), def.version(), edited);

      Delivery fresh = Delivery.builder().plane(plane).store(store).build();
      assertThatThrownBy(() -> fresh.status("shop.shop")).isInstanceOf(CorruptStateException.class)
          .hasMessageContaining(def.key().toString());
      assertThat(fresh.runPending()).as("the run does not advance on a workflow it cannot trust").isZero();
      assertThat(dev.get(new ResourceKey("dev", "", "ConfigMap", "shop-dev", "settings"))).isEmpty();
    }
  }
}
