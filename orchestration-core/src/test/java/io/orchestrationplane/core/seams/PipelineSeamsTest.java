package io.orchestrationplane.core.seams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.FlakyDriver;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.ExecutionStrategy;
import io.orchestrationplane.core.apply.Executor;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Placement;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The seams later capabilities plug into, used the way an embedder would. */
class PipelineSeamsTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster eu = InMemoryCluster.builder("eu").clock(clock).build();
  private final InMemoryCluster us = InMemoryCluster.builder("us").clock(clock).build();
  private final List<PlaneRecord> records = new CopyOnWriteArrayList<>();

  private static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", image).build())
        .environment(Environment.builder("prod").placement(Placement.clusters("eu", "us")).build())
        .build();
  }

  @Test
  void observersReceiveEveryStepAsTypedRecordsNamingWhoActed() {
    Subject alice = Subject.of("alice@example.com", "platform");
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(eu).cluster(us)
        .observer(records::add).build();

    ExecutionResult result = plane.apply(shop("acme/api:1"), alice);

    assertThat(result.succeeded()).isTrue();
    assertThat(records).allMatch(r -> r.subject().equals(alice) && r.application().equals("shop.shop"));
    assertThat(records.get(0)).isInstanceOf(PlaneRecord.Planned.class);
    assertThat(records.get(records.size() - 1)).isInstanceOfSatisfying(PlaneRecord.Executed.class,
        e -> assertThat(e.result()).isSameAs(result));
    List<PlaneRecord.Written> writes = records.stream().filter(PlaneRecord.Written.class::isInstance)
        .map(PlaneRecord.Written.class::cast).toList();
    assertThat(writes).as("every object and inventory written, as it happened")
        .hasSize((int) result.writes() + result.inventory().size())
        .allMatch(w -> w.result() instanceof WriteResult.Created);
  }

  @Test
  void aDenialIsRecordedAndAnObserverThatThrowsStopsNothing() {
    PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: no-latest}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}]
          validations:
          - expression: "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))"
            message: no latest tags
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: no-latest}
        spec: {policyName: no-latest, validationActions: [Deny]}
        """)).build();
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(eu).cluster(us).policies(engine)
        .observer(r -> { throw new IllegalStateException("a broken observer"); })
        .observer(records::add).build();

    assertThatThrownBy(() -> plane.apply(shop("acme/api:latest"))).isInstanceOf(AdmissionDeniedException.class);
    assertThat(records).singleElement().isInstanceOfSatisfying(PlaneRecord.Denied.class, d -> {
      assertThat(d.subject()).isEqualTo(Subject.local());
      assertThat(d.violations()).anyMatch(v -> v.contains("no latest tags"));
    });
    assertThat(plane.apply(shop("acme/api:1")).succeeded()).as("the broken observer stopped nothing").isTrue();
  }

  @Test
  void continuousModeActsForWhoeverSubmitted() {
    Scheduler scheduler = Scheduler.manual(clock);
    List<PlaneEvent> events = new ArrayList<>();
    try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
        .cluster(eu).cluster(us).listener(events::add).observer(records::add).build()) {
      plane.start();
      plane.submit(shop("acme/api:1"), DriftPolicy.CORRECT, Subject.of("ci-bot"));
      plane.runPending();
      assertThat(events).isNotEmpty().allMatch(e -> e.subject().equals(Subject.of("ci-bot")));
      assertThat(records).filteredOn(PlaneRecord.Written.class::isInstance).isNotEmpty()
          .allMatch(r -> r.subject().name().equals("ci-bot"));
      assertThat(records).filteredOn(r -> !(r instanceof PlaneEvent))
          .as("listeners get events only; observers get everything").isNotEmpty();
    } finally {
      scheduler.close();
    }
  }

  @Test
  void aSubjectMustBeNamedPrintably() {
    assertThatThrownBy(() -> Subject.of(" ")).hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> Subject.of("eve\nadmin")).hasMessageContaining("control characters (at index 3)");
    assertThat(Subject.of("bob", "z", "a").groups()).containsExactly("a", "z");
  }

  @Test
  void anExecutionStrategyDecidesHowAPlanIsWrittenButEveryWriteStillGoesThroughTheGates() {
    // cluster by cluster, stopping at the first cluster that fails
    List<String> waves = new ArrayList<>();
    ExecutionStrategy byCluster = (plan, writer) -> {
      List<ExecutionResult> done = new ArrayList<>();
      for (String cluster : plan.clusters()) {
        waves.add(cluster);
        ExecutionResult r = writer.write(plan.onClusters(Set.of(cluster)), Executor.Gate.OPEN);
        done.add(r);
        if (!r.succeeded()) {
          break;
        }
      }
      return ExecutionResult.combine(plan, done);
    };
    // the API server of eu fails every write of a Deployment
    FlakyDriver failingEu = new FlakyDriver(eu);
    failingEu.failApply = r -> r.kind().equals("Deployment");
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(failingEu).cluster(us)
        .executionStrategy(byCluster).build();

    ExecutionResult result = plane.apply(shop("acme/api:1"));

    assertThat(waves).containsExactly("eu");
    assertThat(result.succeeded()).isFalse();
    assertThat(result.failure()).hasValueSatisfying(f -> assertThat(f.cluster()).isEqualTo("eu"));
    assertThat(result.byCluster().get("us")).as("the second wave never ran")
        .isNotEmpty().allMatch(o -> o.status() == Outcome.Status.SKIPPED && o.message().contains("failed first"));
    assertThat(us.size()).isZero();

    failingEu.failApply = r -> false;
    waves.clear();
    ExecutionResult retried = plane.apply(shop("acme/api:1"));
    assertThat(waves).containsExactly("eu", "us");
    assertThat(retried.isComplete()).isTrue();
    assertThat(plane.plan(shop("acme/api:1")).hasChanges()).isFalse();
  }

  @Test
  void aBuiltPlaneNeverReadsItsBuilderAgain() {
    OrchestrationPlane.Builder builder = OrchestrationPlane.builder().clock(clock).cluster(eu);
    OrchestrationPlane plane = builder.build();
    builder.cluster(us).componentType(new WidgetType()).readinessGates(false);

    assertThat(plane.clusters().names()).containsExactly("eu");
    assertThat(plane.types().component("widget")).isEmpty();
    assertThat(plane.kinds().pruned()).doesNotContain(WidgetType.KIND);
  }

  @Test
  void theKindsTypesDeclareAreWatchedAndPrunedWithoutAnyoneListingThem() {
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(eu)
        .types(TypeRegistry.builder().component(new WidgetType())).build();

    assertThat(plane.kinds().pruned()).contains(WidgetType.KIND, new GroupKind("apps", "Deployment"),
        new GroupKind("", "Namespace"), new GroupKind("autoscaling", "HorizontalPodAutoscaler"));
    assertThat(plane.kinds().watched()).isEqualTo(plane.kinds().pruned());
    assertThat(KindCatalog.defaults().pruned()).as("the catalogue alone manages only Namespaces")
        .containsExactly(new GroupKind("", "Namespace"));
    assertThat(plane.kinds().isClusterScoped(new GroupKind("rbac.authorization.k8s.io", "ClusterRole"))).isTrue();
    assertThat(plane.kinds().isClusterScoped(new GroupKind("example.com", "ClusterRole")))
        .as("keyed by group and kind, not kind alone").isFalse();
    assertThat(plane.kinds().applyRank(new GroupKind("", "Namespace")))
        .isLessThan(plane.kinds().applyRank(new GroupKind("apps", "Deployment")));
  }

  /** A custom type that declares the kind it renders. */
  static final class WidgetType implements ComponentType {
    static final GroupKind KIND = new GroupKind("example.com", "Widget");

    @Override
    public String name() {
      return "widget";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder().build();
    }

    @Override
    public Set<GroupKind> kinds() {
      return Set.of(KIND);
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      return List.of(Resource.of("example.com/v1", "Widget", null, context.component().name()));
    }
  }
}
