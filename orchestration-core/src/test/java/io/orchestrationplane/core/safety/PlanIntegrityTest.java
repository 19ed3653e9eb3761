package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.apply.PlanMismatchException;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.Planner;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 12, item 7: admission cannot be bypassed and a reviewed plan cannot be tampered with.
 * {@code apply(plan)} admits every write again; a plan written to JSON and read back in another
 * step applies only while a fresh plan is the same, and is refused, naming why, when it was
 * edited, when the clusters moved or when other policies admitted it.
 */
class PlanIntegrityTest {
  private static final String NO_FAST_MODE = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: no-fast-mode}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"]}
        validations:
          - expression: "!has(object.data) || !has(object.data.mode) || object.data.mode != 'fast'"
            message: "fast mode is not allowed"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: no-fast-mode}
      spec: {policyName: no-fast-mode, validationActions: [Deny]}
      """;

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();

  static Application app(String mode) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("config", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: %s}
            """.formatted(mode)).build())
        .build();
  }

  private OrchestrationPlane guarded() {
    return OrchestrationPlane.builder().clock(clock).cluster(cluster)
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(NO_FAST_MODE)).build()).build();
  }

  private OrchestrationPlane open() {
    return OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
  }

  @Test
  void aPlanMadeWithoutThePoliciesIsAdmittedAgainOnApply() {
    Plan unguarded = open().plan(app("fast")); // planned by a plane without policies
    assertThatThrownBy(() -> guarded().apply(unguarded)).isInstanceOf(AdmissionDeniedException.class)
        .hasMessageContaining("fast mode is not allowed");
    assertThat(cluster.size()).isZero();

    // A plan put together by hand fares no better.
    Plan byHand = new Planner(KindCatalog.defaults()).plan("shop.shop",
        List.of(new Planner.Target("default", cluster, guarded().render(app("fast")).get("default"))), List.of(cluster),
        Set.of(), java.util.Map.of());
    assertThatThrownBy(() -> guarded().apply(byHand)).isInstanceOf(AdmissionDeniedException.class);
    assertThat(cluster.size()).isZero();
  }

  @Test
  void aReviewedPlanReadBackFromJsonAppliesWhileNothingChanged() {
    String json = guarded().plan(app("safe")).toJson();
    // the next CI step: a new plane, the same application and policies
    OrchestrationPlane next = guarded();
    Plan reviewed = Plan.fromJson(json);
    assertThat(reviewed.detached()).isTrue();
    assertThat(next.apply(app("safe"), reviewed).succeeded()).isTrue();
    assertThat(cluster.get(ResourceKey.of("prod", "", "ConfigMap", "shop", "settings"))).isPresent();
  }

  @Test
  void anEditedPlanIsRefusedWhenReadBack() {
    ObjectNode tree = guarded().plan(app("safe")).toJsonTree();
    ((ObjectNode) tree.get("changes").get(0)).put("name", "other");
    assertThatThrownBy(() -> Plan.fromJson(io.orchestrationplane.core.resource.Json.writePrettyJson(tree)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was changed after it was made");
  }

  @Test
  void anInventoryEntryThatIsNotAnObjectIsRefusedAsNotAPlan() {
    ObjectNode tree = guarded().plan(app("safe")).toJsonTree();
    assertThat(tree.path("inventory").isArray() && !tree.path("inventory").isEmpty()).as(tree.toString()).isTrue();
    for (String entry : new String[] {"[]", "1", "\"x\"", "null", "true"}) {
      ((tools.jackson.databind.node.ArrayNode) tree.get("inventory")).set(0,
          io.orchestrationplane.core.resource.Json.readJson(entry));
      assertThatThrownBy(() -> Plan.fromJson(io.orchestrationplane.core.resource.Json.writePrettyJson(tree))).as(entry)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a plan: an entry of 'inventory' is not an object");
    }
  }

  @Test
  void aReviewedPlanOfAnotherDesiredStateIsRefusedAsChanged() {
    Plan reviewed = Plan.fromJson(guarded().plan(app("safe")).toJson());
    PlanMismatchException e = catchThrowableOfType(PlanMismatchException.class,
        () -> guarded().apply(app("careful"), reviewed));
    assertThat(e.reason()).isEqualTo(PlanMismatchException.Reason.CHANGED);
    assertThat(e.getMessage()).contains("ConfigMap shop/settings (cluster prod)");
    assertThat(cluster.size()).isZero();
  }

  @Test
  void aReviewedPlanIsRefusedAsStaleWhenTheClusterMoved() {
    open().apply(app("safe"));
    Plan reviewed = Plan.fromJson(guarded().plan(app("careful")).toJson());
    // someone deletes the object: the reviewed UPDATE would now be a CREATE
    cluster.delete(ResourceKey.of("prod", "", "ConfigMap", "shop", "settings"));
    PlanMismatchException e = catchThrowableOfType(PlanMismatchException.class,
        () -> guarded().apply(app("careful"), reviewed));
    assertThat(e.reason()).isEqualTo(PlanMismatchException.Reason.STALE);
  }

  @Test
  void aReviewedPlanAdmittedByOtherPoliciesIsRefused() {
    Plan reviewed = Plan.fromJson(open().plan(app("safe")).toJson());
    PlanMismatchException e = catchThrowableOfType(PlanMismatchException.class,
        () -> guarded().apply(app("safe"), reviewed));
    assertThat(e.reason()).isEqualTo(PlanMismatchException.Reason.OTHER_POLICIES);
    assertThat(cluster.size()).isZero();
  }

  @Test
  void aDetachedPlanNeedsItsApplication() {
    Plan reviewed = Plan.fromJson(guarded().plan(app("safe")).toJson());
    assertThatThrownBy(() -> guarded().apply(reviewed)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apply(application, plan)");
  }
}
