package io.orchestrationplane.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateValueTooLargeException;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 15, item 1, through the facade: which changes become revisions, how they are numbered,
 * kept, compared and rolled back, on the fake clock and an in-memory cluster.
 */
class RevisionsTest {
  static final String APP = "shop.shop";
  static final ResourceKey API = ResourceKey.of("dev", "apps", "Deployment", "shop", "api");
  static final Subject ALICE = Subject.of("alice@example.com", "platform");
  static final Subject BOB = Subject.of("bob@example.com");

  /** Denies the image acme/api:1 (withdrawn after revision 1 was made). */
  static final String WITHDRAW_API_1 = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: withdraw-api-1}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
        validations:
          - expression: "object.spec.template.spec.containers.all(c, c.image != 'acme/api:1')"
            message: "acme/api:1 is withdrawn"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: withdraw-api-1}
      spec: {policyName: withdraw-api-1, validationActions: [Deny]}
      """;

  /** Warns about fewer than three replicas. */
  static final String PREFER_THREE = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: prefer-three}
      spec:
        matchConstraints:
          resourceRules:
            - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
        validations:
          - expression: "object.spec.replicas >= 3"
            message: "fewer than three replicas"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: prefer-three}
      spec: {policyName: prefer-three, validationActions: [Warn]}
      """;

  final ManualClock clock = ManualClock.create();
  final InMemoryCluster dev = InMemoryCluster.builder("dev").clock(clock).build();
  final OrchestrationPlane plane = plane(StateStore.inMemory(), 10);

  OrchestrationPlane plane(StateStore store, int limit) {
    return OrchestrationPlane.builder().clock(clock).cluster(dev).readinessGates(false).logging(false)
        .stateStore(store).revisionHistoryLimit(limit).build();
  }

  @AfterEach
  void close() {
    plane.close();
  }

  /** A Deployment and a Secret holding {@code password}. */
  static Application shop(String image, String password) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).property("replicas", 2).build())
        .component(Component.builder("creds", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData: {password: "%s"}
            """.formatted(password)).build())
        .build();
  }

  static String image(InMemoryCluster cluster) {
    Resource api = cluster.get(API).orElseThrow();
    return api.at("/spec/template/spec/containers/0/image").asString();
  }

  @Test
  void everyAcceptedChangeBecomesANumberedRevisionWithItsSource() {
    Instant first = clock.instant();
    plane.apply(shop("acme/api:1", "s3cret-one"), ALICE, Origin.git("https://git.example.com/shop.git", "3F9C2A1",
        "deploy/shop.yaml", "Alice <alice@example.com>", "Raise the api's replicas"));
    clock.advance(Duration.ofMinutes(5));
    plane.apply(shop("acme/api:2", "s3cret-one"), BOB, Origin.file("shop.yaml"));
    clock.advance(Duration.ofMinutes(5));
    plane.apply(shop("acme/api:3", "s3cret-one"));

    List<Revision> history = plane.history(APP);
    assertThat(history).extracting(Revision::number).containsExactly(3L, 2L, 1L);
    Revision one = history.get(2);
    assertThat(one.application()).isEqualTo(APP);
    assertThat(one.source().subject()).isEqualTo(ALICE);
    assertThat(one.source().time()).isEqualTo(first);
    assertThat(one.source().origin()).isEqualTo(new Origin.GitCommit("https://git.example.com/shop.git", "3f9c2a1",
        "deploy/shop.yaml", "Alice <alice@example.com>", "Raise the api's replicas"));
    assertThat(one.source().origin().describe()).isEqualTo("git https://git.example.com/shop.git@3f9c2a1 "
        + "deploy/shop.yaml \"Raise the api's replicas\" by Alice <alice@example.com>");
    assertThat(one.digest()).matches("sha256:[0-9a-f]{64}");
    assertThat(one.model()).isEqualTo(shop("acme/api:1", "s3cret-one"));
    assertThat(history.get(1).source()).isEqualTo(new RevisionSource(BOB, first.plus(Duration.ofMinutes(5)),
        Origin.file("shop.yaml")));
    assertThat(history.get(0).source().subject()).isEqualTo(Subject.local());
    assertThat(history.get(0).source().origin()).isEqualTo(Origin.code());
    assertThat(history).extracting(Revision::digest).doesNotHaveDuplicates();
    assertThat(plane.revision(APP, 2)).contains(history.get(1));
    assertThat(plane.revision(APP, 4)).isEmpty();
    assertThatThrownBy(() -> history.add(one)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(plane.history("other.app")).isEmpty();
  }

  @Test
  void theNewestRevisionNumberIsTheHistorysFirstAfterPruningToo() {
    OrchestrationPlane two = plane(StateStore.inMemory(), 2);
    assertThat(two.newestRevisionNumber(APP)).as("no revision yet").isZero();
    for (int i = 1; i <= 4; i++) {
      two.apply(shop("acme/api:" + i, "s3cret-one"));
      assertThat(two.newestRevisionNumber(APP)).isEqualTo(i).isEqualTo(two.history(APP).get(0).number());
    }
    two.apply(shop("acme/api:4", "s3cret-one"));
    assertThat(two.newestRevisionNumber(APP)).as("nothing new accepted").isEqualTo(4);
    assertThat(two.history(APP)).extracting(Revision::number).containsExactly(4L, 3L);
    two.close();
  }

  @Test
  void anApplyReturnsTheNumberOfTheRevisionItRecordedAndZeroWhenItRecordedNone() {
    List<Long> toldHistory = new java.util.ArrayList<>();
    List<Long> toldResult = new java.util.ArrayList<>();
    OrchestrationPlane observed = OrchestrationPlane.builder().clock(clock).cluster(dev).readinessGates(false)
        .logging(false).revisionHistoryLimit(2).observer(r -> {
          if (r instanceof io.orchestrationplane.core.observe.PlaneRecord.Executed e) {
            // the revision is recorded before observers hear of the execution
            toldHistory.add(newestOf(e.application()));
            toldResult.add(e.result().revision());
          }
        }).build();
    observedPlane = observed;
    assertThat(observed.apply(shop("acme/api:1", "s3cret-one")).revision()).isEqualTo(1);
    assertThat(observed.apply(shop("acme/api:2", "s3cret-one")).revision()).isEqualTo(2);
    ExecutionResult same = observed.apply(shop("acme/api:2", "s3cret-one"));
    assertThat(same.revision()).as("the newest revision's desired state: nothing recorded").isZero();
    assertThat(same.succeeded()).isTrue();
    assertThat(observed.apply(shop("acme/api:3", "s3cret-one")).revision()).as("numbers go on past pruning")
        .isEqualTo(3).isEqualTo(observed.newestRevisionNumber(APP));
    assertThat(observed.apply(observed.plan(shop("acme/api:4", "s3cret-one"))).revision())
        .as("a plan applied alone records no revision").isZero();
    assertThat(observed.rollback(APP, 2, ALICE).revision()).as("a rollback is recorded like any change").isEqualTo(4);
    assertThat(observed.history(APP)).extracting(Revision::number).containsExactly(4L, 3L);
    assertThat(toldResult).containsExactly(1L, 2L, 0L, 3L, 0L, 4L);
    assertThat(toldHistory).containsExactly(1L, 2L, 2L, 3L, 3L, 4L);
    observed.close();
  }

  private OrchestrationPlane observedPlane;

  private long newestOf(String application) {
    return observedPlane.newestRevisionNumber(application);
  }

  @Test
  void aFailedApplyRecordsNoRevision() {
    io.orchestrationplane.core.FlakyDriver flaky = new io.orchestrationplane.core.FlakyDriver(dev);
    flaky.failApply = r -> true;
    OrchestrationPlane failing = OrchestrationPlane.builder().clock(clock).readinessGates(false).logging(false)
        .cluster(flaky).build();
    ExecutionResult failed = failing.apply(shop("acme/api:1", "s3cret-one"));
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.revision()).isZero();
    assertThat(failing.history(APP)).isEmpty();
    failing.close();
  }

  @Test
  void theSameDesiredStateAppliedAgainMakesNoRevisionEvenWhenItCorrectsDrift() {
    plane.apply(shop("acme/api:1", "s3cret-one"));
    plane.apply(shop("acme/api:1", "s3cret-one"));
    dev.update(dev.get(API).orElseThrow().edit(t -> ((ObjectNode) t.get("spec")).put("replicas", 7)));
    ExecutionResult corrected = plane.apply(shop("acme/api:1", "s3cret-one"));
    assertThat(corrected.writes()).isEqualTo(1);
    assertThat(plane.history(APP)).hasSize(1);

    plane.apply(shop("acme/api:2", "s3cret-one"));
    plane.apply(shop("acme/api:1", "s3cret-one"));
    assertThat(plane.history(APP)).extracting(Revision::number).containsExactly(3L, 2L, 1L);
    assertThat(plane.history(APP).get(0).digest()).isEqualTo(plane.history(APP).get(2).digest());
  }

  @Test
  void aChangedSecretValueIsANewRevisionButTheDigestDoesNotRevealIt() {
    plane.apply(shop("acme/api:1", "s3cret-one"));
    plane.apply(shop("acme/api:1", "s3cret-two"));
    List<Revision> history = plane.history(APP);
    assertThat(history).hasSize(2);
    assertThat(history.get(0).digest()).isNotEqualTo(history.get(1).digest());
  }

  @Test
  void aPlanDeniedByAdmissionMakesNoRevisionAndWarningsAreKeptWithTheRevision() {
    OrchestrationPlane policed = OrchestrationPlane.builder().clock(clock).cluster(dev).readinessGates(false)
        .logging(false).policies(PolicyEngine.builder()
            .policies(PolicyLoader.load(WITHDRAW_API_1 + "---\n" + PREFER_THREE)).build()).build();
    assertThatThrownBy(() -> policed.apply(shop("acme/api:1", "s3cret-one")))
        .isInstanceOf(AdmissionDeniedException.class);
    assertThat(policed.history(APP)).isEmpty();
    assertThat(dev.size()).isZero();

    policed.apply(shop("acme/api:2", "s3cret-one"));
    Revision accepted = policed.history(APP).get(0);
    assertThat(accepted.number()).isEqualTo(1);
    assertThat(accepted.policies()).isNotEmpty();
    assertThat(accepted.notices()).singleElement().satisfies(n -> {
      assertThat(n.action()).isEqualTo("Warn");
      assertThat(n.key()).isEqualTo(API);
      assertThat(n.message()).contains("fewer than three replicas");
    });
  }

  @Test
  void retentionPrunesTheOldestAndNumbersAreNeverReused() {
    OrchestrationPlane three = plane(StateStore.inMemory(), 3);
    for (int i = 1; i <= 5; i++) {
      three.apply(shop("acme/api:" + i, "s3cret-one"));
    }
    assertThat(three.history(APP)).extracting(Revision::number).containsExactly(5L, 4L, 3L);
    assertThat(three.revision(APP, 2)).isEmpty();
    three.apply(shop("acme/api:6", "s3cret-one"));
    assertThat(three.history(APP)).extracting(Revision::number).containsExactly(6L, 5L, 4L);

    assertThatThrownBy(() -> three.rollback(APP, 2))
        .isInstanceOf(RevisionNotFoundException.class)
        .hasMessage("application shop.shop has no revision 2: it was pruned: the history keeps the last 3 (kept: 4 to 6)")
        .satisfies(e -> {
          assertThat(((RevisionNotFoundException) e).application()).isEqualTo(APP);
          assertThat(((RevisionNotFoundException) e).revision()).isEqualTo("2");
        });
    assertThatThrownBy(() -> three.rollback(APP, 9))
        .isInstanceOf(RevisionNotFoundException.class)
        .hasMessage("application shop.shop has no revision 9: it never existed (kept: 4 to 6)");
    assertThatThrownBy(() -> three.rollback("shop.other", 1))
        .isInstanceOf(RevisionNotFoundException.class)
        .hasMessage("application shop.other has no revision 1: it has no revisions");
    assertThatThrownBy(() -> three.rollback(APP, "sha256:" + "0".repeat(64)))
        .isInstanceOf(RevisionNotFoundException.class)
        .hasMessageContaining("no revision with digest sha256:000");
    assertThatThrownBy(() -> three.rollback(APP, "latest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("by its number (7) or its full digest");
    assertThat(image(dev)).isEqualTo("acme/api:6");
  }

  @Test
  void thePlaneNeverClosesAStoreItWasGiven() {
    StateStore store = StateStore.inMemory();
    OrchestrationPlane given = plane(store, 10);
    given.apply(shop("acme/api:1", "s3cret-one"));
    given.close();
    assertThat(store.list("revisions")).hasSize(1); // a closed store would throw
    store.close();
  }

  @Test
  void theHistoryLimitIsValidated() {
    assertThatThrownBy(() -> OrchestrationPlane.builder().revisionHistoryLimit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 10000, was 0");
    assertThatThrownBy(() -> OrchestrationPlane.builder().revisionHistoryLimit(10_001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rollbackAppliesTheOldDesiredStateAndRecordsARollbackRevision() {
    plane.apply(shop("acme/api:1", "s3cret-one"));
    plane.apply(shop("acme/api:2", "s3cret-two"));
    assertThat(image(dev)).isEqualTo("acme/api:2");
    clock.advance(Duration.ofHours(1));

    ExecutionResult result = plane.rollback(APP, 1, ALICE);
    assertThat(result.succeeded()).isTrue();
    assertThat(image(dev)).isEqualTo("acme/api:1");
    List<Revision> history = plane.history(APP);
    assertThat(history).extracting(Revision::number).containsExactly(3L, 2L, 1L);
    assertThat(history.get(0).source()).isEqualTo(new RevisionSource(ALICE, clock.instant(), Origin.rollbackOf(1)));
    assertThat(history.get(0).digest()).isEqualTo(history.get(2).digest());
    assertThat(history.get(0).model()).isEqualTo(history.get(2).model());

    // by digest: back to revision 2's state, recorded as a rollback of 2
    plane.rollback(APP, history.get(1).digest());
    assertThat(image(dev)).isEqualTo("acme/api:2");
    assertThat(plane.history(APP).get(0).source().origin()).isEqualTo(Origin.rollbackOf(2));
    // to what runs already: nothing new
    plane.rollback(APP, "4");
    assertThat(plane.history(APP)).hasSize(4);
  }

  @Test
  void aRollbackGoesThroughAdmissionLikeAnyChange() {
    StateStore shared = StateStore.inMemory();
    try (OrchestrationPlane before = plane(shared, 10)) {
      before.apply(shop("acme/api:1", "s3cret-one"));
      before.apply(shop("acme/api:2", "s3cret-one"));
    }
    // a policy added after revision 1 was made
    try (OrchestrationPlane after = OrchestrationPlane.builder().clock(clock).cluster(dev).readinessGates(false)
        .logging(false).stateStore(shared).policies(PolicyEngine.builder()
            .policies(PolicyLoader.load(WITHDRAW_API_1)).build()).build()) {
      assertThat(after.history(APP)).hasSize(2);
      assertThatThrownBy(() -> after.rollback(APP, 1))
          .isInstanceOf(AdmissionDeniedException.class)
          .hasMessageContaining("acme/api:1 is withdrawn");
      assertThat(image(dev)).isEqualTo("acme/api:2");
      assertThat(after.history(APP)).hasSize(2);
    }
  }

  /** Renders one ConfigMap per component holding a greeting fixed by the plane that registers the type. */
  static final class GreetingType implements ComponentType {
    private final String greeting;

    GreetingType(String greeting) {
      this.greeting = greeting;
    }

    @Override
    public String name() {
      return "greeting";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder().build();
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      return List.of(Resource.fromYaml("""
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: %s}
          data: {greeting: %s}
          """.formatted(context.component().name(), greeting)));
    }
  }

  @Test
  void aRollbackThatWouldNotReproduceTheRevisionIsRefused() {
    StateStore shared = StateStore.inMemory();
    Application hello = Application.builder("hello").namespace("shop")
        .component(Component.builder("welcome", "greeting").build()).build();
    try (OrchestrationPlane old = OrchestrationPlane.builder().clock(clock).cluster(dev).logging(false)
        .stateStore(shared).componentType(new GreetingType("hello")).build()) {
      old.apply(hello);
    }
    try (OrchestrationPlane changed = OrchestrationPlane.builder().clock(clock).cluster(dev).logging(false)
        .stateStore(shared).componentType(new GreetingType("hi")).build()) {
      assertThatThrownBy(() -> changed.rollback("shop.hello", 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rollback of shop.hello to revision 1 refused, nothing written")
          .hasMessageContaining("component or trait types, or the clusters it is placed on, changed since");
      assertThat(dev.get(ResourceKey.of("dev", "", "ConfigMap", "shop", "welcome")).orElseThrow()
          .at("/data/greeting").asString()).isEqualTo("hello");
    }
  }

  @Test
  void aSubmittedApplicationIsNotRolledBackBehindContinuousModesBack() {
    Scheduler scheduler = Scheduler.manual(clock);
    try (OrchestrationPlane continuous = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(dev).readinessGates(false).logging(false).build()) {
      continuous.start();
      continuous.submit(shop("acme/api:1", "s3cret-one"), DriftPolicy.CORRECT, ALICE, Origin.file("shop.yaml"));
      continuous.runPending();
      continuous.submit(shop("acme/api:1", "s3cret-one"), DriftPolicy.CORRECT, ALICE, Origin.file("shop.yaml"));
      continuous.runPending();
      continuous.submit(shop("acme/api:2", "s3cret-one"), DriftPolicy.CORRECT, BOB, Origin.text());
      continuous.runPending();

      List<Revision> history = continuous.history(APP);
      assertThat(history).extracting(Revision::number).containsExactly(2L, 1L);
      assertThat(history.get(1).source().origin()).isEqualTo(Origin.file("shop.yaml"));
      assertThat(history.get(1).source().subject()).isEqualTo(ALICE);
      assertThat(history.get(0).source().subject()).isEqualTo(BOB);
      assertThat(image(dev)).isEqualTo("acme/api:2");

      assertThatThrownBy(() -> continuous.rollback(APP, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("submitted to continuous mode");
      assertThat(image(dev)).isEqualTo("acme/api:2");
    } finally {
      scheduler.close();
    }
  }

  @Test
  void diffComparesTheRenderedObjectsFieldByFieldWithSecretsAsDigests() {
    plane.apply(shop("acme/api:1", "s3cret-one"));
    plane.apply(Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", "acme/api:2").property("replicas", 2).build())
        .component(Component.builder("creds", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData: {password: "s3cret-two"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: flags}
            data: {checkout: "on"}
            """).build())
        .build());

    RevisionDiff diff = plane.diff(APP, 1, 2);
    assertThat(diff.objects()).extracting(o -> o.key().kind() + " " + o.key().name() + " " + o.type())
        .containsExactly("ConfigMap flags CREATE", "Secret db UPDATE", "Deployment api UPDATE");
    RevisionDiff.ObjectDiff deployment = diff.objects().get(2);
    assertThat(deployment.fields()).singleElement().satisfies(f -> {
      assertThat(f.path()).isEqualTo("spec.template.spec.containers[name=api].image");
      assertThat(f.before().asString()).isEqualTo("acme/api:1");
      assertThat(f.after().asString()).isEqualTo("acme/api:2");
    });
    FieldDiff password = diff.objects().get(1).fields().get(0);
    assertThat(password.path()).isEqualTo("stringData.password");
    assertThat(password.before().asString()).startsWith("hmac:");
    assertThat(password.after().asString()).startsWith("hmac:").isNotEqualTo(password.before().asString());
    String text = diff.toText();
    assertThat(text).contains("+ ConfigMap shop/flags (cluster dev)", "\"acme/api:1\" -> \"acme/api:2\"")
        .doesNotContain("s3cret");

    RevisionDiff back = plane.diff(APP, 2, 1);
    assertThat(back.objects().get(0).type()).isEqualTo(Change.Type.DELETE);
    assertThat(plane.diff(APP, 1, 1).isEmpty()).isTrue();
    assertThatThrownBy(() -> plane.diff(APP, 1, 3)).isInstanceOf(RevisionNotFoundException.class);
  }

  @Test
  void twoVersionsOfAnApplicationAreComparedWithoutAClusterOrARevision() {
    RevisionDiff diff = plane.diff(shop("acme/api:1", "s3cret-one"), shop("acme/api:2", "s3cret-two"));
    assertThat(diff.from()).isZero();
    assertThat(diff.to()).isZero();
    assertThat(diff.objects()).extracting(o -> o.key().kind() + " " + o.key().name() + " " + o.type())
        .containsExactly("Secret db UPDATE", "Deployment api UPDATE");
    assertThat(diff.toText()).doesNotContain("s3cret").contains("acme/api:2");
    assertThat(plane.history(APP)).isEmpty();
    assertThat(dev.size()).isZero();
    assertThat(plane.diff(shop("acme/api:1", "x-password"), shop("acme/api:1", "x-password")).isEmpty()).isTrue();
    Application other = Application.builder("other").namespace("shop")
        .component(Component.builder("api", "worker").property("image", "acme/api:1").build()).build();
    assertThatThrownBy(() -> plane.diff(shop("acme/api:1", "x-password"), other))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shop.shop and shop.other");
  }

  @Test
  void secretValuesReachNoHistoryOutput() {
    String password = "hunter2-ÆØÅ-canary";
    plane.apply(shop("acme/api:1", password));
    plane.apply(shop("acme/api:2", password + "-rotated"));
    for (Revision r : plane.history(APP)) {
      assertThat(r.toString()).doesNotContain("hunter2");
      assertThat(r.describe()).doesNotContain("hunter2");
      assertThat(r.source().toString()).doesNotContain("hunter2");
    }
    assertThat(plane.history(APP).toString()).doesNotContain("hunter2");
    RevisionDiff diff = plane.diff(APP, 1, 2);
    assertThat(diff.toText()).doesNotContain("hunter2");
    assertThat(diff.toString()).doesNotContain("hunter2");
    assertThat(diff.objects().toString()).doesNotContain("hunter2");
  }

  @Test
  void aRevisionTooLargeForTheStoreIsRefusedBeforeAnythingIsWritten() {
    OrchestrationPlane small = OrchestrationPlane.builder().clock(clock).cluster(dev).readinessGates(false)
        .logging(false).stateStore(StateStore.inMemory(StateStore.Config.custom().maxValueBytes(3000).build())).build();
    assertThatThrownBy(() -> small.apply(shop("acme/api:" + "1".repeat(3000), "s3cret-one")))
        .isInstanceOf(StateValueTooLargeException.class)
        .hasMessageContaining("revisions/shop.shop.0000000001");
    assertThat(dev.size()).isZero();
    assertThat(small.history(APP)).isEmpty();
  }

  @Test
  void anOriginHoldsNoCredentials() {
    assertThatThrownBy(() -> Origin.git("https://deploy:ghp_token123@git.example.com/shop.git", "3f9c2a1", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without credentials")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ghp_token123"));
    assertThatThrownBy(() -> Origin.git("https://git.example.com/shop.git", "main", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 to 64 hexadecimal digits");
    assertThatThrownBy(() -> Origin.rollbackOf(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Origin.file(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Origin.git("git@github.com:acme/shop.git", "abcdef0", null).describe())
        .isEqualTo("git git@github.com:acme/shop.git@abcdef0");
    assertThat(Origin.git("git@github.com:acme/shop.git", "abcdef0", "", null, null))
        .isEqualTo(new Origin.GitCommit("git@github.com:acme/shop.git", "abcdef0", ""));
    assertThatThrownBy(() -> Origin.git("https://git.example.com/shop.git", "abcdef0", "", "", "one\ntwo"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit subject")
        .hasMessageContaining("control characters");
  }
}
