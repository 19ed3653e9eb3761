package io.orchestrationplane.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.render.TypeRegistry;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Projects fence tenants in: whatever a component type or trait renders, an application of one
 * project reaches neither another project's namespaces, nor a cluster outside its destinations,
 * nor any cluster-scoped kind; the check runs on the rendered objects, so nothing smuggles past it.
 */
class ProjectFenceTest {
  /** Valid properties of every built-in component type; the test below fails when a built-in is missing here. */
  static final Map<String, Map<String, Object>> COMPONENTS = Map.of(
      "webservice", Map.of("image", "acme/web:1", "port", 8080),
      "worker", Map.of("image", "acme/worker:1"),
      "job", Map.of("image", "acme/job:1"),
      "cronjob", Map.of("image", "acme/cron:1", "schedule", "*/15 * * * *"),
      "k8s-objects", Map.of("objects", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap",
          "metadata", Map.of("name", "settings"), "data", Map.of("mode", "fast")))));
  /** Valid properties of every built-in trait, each applied to a webservice. */
  static final Map<String, Map<String, Object>> TRAITS = Map.ofEntries(
      Map.entry("ingress", Map.of("host", "shop.example.com")),
      Map.entry("autoscaler", Map.of("max", 5)),
      Map.entry("scaler", Map.of("replicas", 2)),
      Map.entry("env", Map.of("env", Map.of("MODE", "fast"))),
      Map.entry("labels", Map.of("labels", Map.of("team", "shop"))),
      Map.entry("resources", Map.of("cpu", "250m")),
      Map.entry("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/data")),
      Map.entry("network-policy", Map.of()),
      Map.entry("service-account", Map.of("awsRoleArn", "arn:aws:iam::111122223333:role/shop-api",
          "gcpServiceAccount", "shop-api@acme-prod.iam.gserviceaccount.com",
          "azureClientId", "00000000-1111-2222-3333-444444444444")),
      Map.entry("istio", Map.of("mtls", "STRICT", "trafficPolicy", Map.of("loadBalancer",
          Map.of("simple", "LEAST_REQUEST")))),
      Map.entry("linkerd", Map.of()));

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
  private final InMemoryCluster other = InMemoryCluster.builder("other").clock(clock).build();
  private final List<PlaneRecord> records = new CopyOnWriteArrayList<>();
  private final List<OrchestrationPlane> planes = new ArrayList<>();

  static final Project SHOP = Project.builder("shop").applicationNamespaces("shop")
      .destination("prod", "shop").destination("prod", "shop-*").destination("prod", "!shop-system").build();
  static final Project BILLING = Project.builder("billing").applicationNamespaces("billing")
      .destination("*", "billing").build();
  static final Project PLATFORM = Project.builder("platform").applicationNamespaces("platform")
      .destination("*", "*").clusterScopedKind("rbac.authorization.k8s.io", "ClusterRoleBinding").build();

  private OrchestrationPlane plane(TypeRegistry.Builder types, StateStore store, Project... projects) {
    OrchestrationPlane.Builder b = OrchestrationPlane.builder().clock(clock).types(types)
        .cluster(prod).cluster(other).workers(0).scheduler(Scheduler.manual(clock)).observer(records::add)
        .stateStore(store);
    if (projects.length > 0) {
      b.projects(projects);
    }
    OrchestrationPlane p = b.build();
    planes.add(p);
    return p;
  }

  private OrchestrationPlane plane(TypeRegistry.Builder types) {
    return plane(types, StateStore.inMemory(), SHOP, BILLING, PLATFORM);
  }

  private final OrchestrationPlane plane = plane(withSmugglers());

  @AfterEach
  void close() {
    planes.forEach(OrchestrationPlane::close);
  }

  static Application app(String namespace, Component component, String envNamespace, String cluster) {
    return Application.builder("tenant").namespace(namespace).component(component)
        .environment(Environment.builder("prod").namespace(envNamespace).clusters(cluster).build())
        .build();
  }

  static Stream<Component> everyBuiltInComponentAndTrait() {
    List<Component> out = new ArrayList<>();
    new TreeMap<>(COMPONENTS).forEach((type, props) -> out.add(Component.builder("c-" + type, type)
        .properties(props).build()));
    new TreeMap<>(TRAITS).forEach((trait, props) -> out.add(Component.builder("t-" + trait, "webservice")
        .properties(COMPONENTS.get("webservice")).trait(Trait.of(trait, props)).build()));
    return out.stream();
  }

  @Test
  void theTablesCoverEveryBuiltInTypeAndTrait() {
    TypeRegistry builtIns = TypeRegistry.builtIns();
    assertThat(builtIns.componentTypes().stream().map(ComponentType::name)).containsExactlyInAnyOrderElementsOf(
        COMPONENTS.keySet());
    assertThat(builtIns.traitTypes().stream().map(TraitType::name)).containsExactlyInAnyOrderElementsOf(
        TRAITS.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyBuiltInComponentAndTrait")
  void noBuiltInTypeOrTraitReachesAnotherProjectsNamespaceOrClusterOrAProtectedNamespace(Component component) {
    // inside the fence it plans and applies: the properties are valid and the fence lets it pass
    assertThat(plane.apply(app("shop", component, "shop-web", "prod")).succeeded()).isTrue();
    int before = prod.size();
    for (String[] outside : new String[][] {{"billing", "prod", "namespace billing is not allowed"},
        {"kube-system", "prod", "namespace kube-system is not allowed"},
        {"shop-system", "prod", "namespace shop-system is denied in project shop (destination prod/!shop-system)"},
        {"shop", "other", "destination cluster other, namespace shop is not allowed"}}) {
      Application escaping = app("shop", component, outside[0], outside[1]);
      assertThatThrownBy(() -> plane.plan(escaping)).isInstanceOfSatisfying(ProjectViolationException.class, e -> {
        assertThat(e.project()).isEqualTo("shop");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v).contains(outside[2]).contains("(cluster "
            + outside[1] + "), component " + component.name()));
      });
      assertThatThrownBy(() -> plane.apply(escaping)).isInstanceOf(ProjectViolationException.class);
      assertThatThrownBy(() -> plane.submit(escaping)).isInstanceOf(ProjectViolationException.class);
    }
    assertThat(prod.size()).as("nothing written").isEqualTo(before);
    assertThat(other.size()).isZero();
  }

  @Test
  void rawManifestsCannotSmuggleClusterScopedKindsOrForeignNamespaces() {
    Component raw = Component.builder("raw", "k8s-objects").property("manifests", """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: tenant-admin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: default, namespace: shop}]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop-extra}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: coredns, namespace: kube-system}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: fine}
        """).build();
    assertThatThrownBy(() -> plane.apply(app("shop", raw, "shop", "prod")))
        .isInstanceOfSatisfying(ProjectViolationException.class, e -> assertThat(e.violations()).containsExactly(
            "ClusterRoleBinding tenant-admin (cluster prod), component raw: cluster-scoped kind "
                + "rbac.authorization.k8s.io/ClusterRoleBinding is not allowed in project shop (allowed cluster-scoped "
                + "kinds: none)",
            "Namespace shop-extra (cluster prod), component raw: cluster-scoped kind Namespace is not allowed in "
                + "project shop (allowed cluster-scoped kinds: none)",
            "ConfigMap kube-system/coredns (cluster prod), component raw: destination cluster prod, namespace "
                + "kube-system is not allowed in project shop (allowed destinations: prod/shop, prod/shop-*)"));
    assertThat(prod.size()).isZero();
    assertThat(records).filteredOn(PlaneRecord.Refused.class::isInstance).singleElement()
        .satisfies(r -> assertThat(((PlaneRecord.Refused) r).resource()).isEqualTo("project shop"));
  }

  /** A user's component type that binds cluster-admin, and a trait that adds the same binding to any component. */
  static TypeRegistry.Builder withSmugglers() {
    return TypeRegistry.builder().component(new ComponentType() {
      @Override
      public String name() {
        return "admin-binding";
      }

      @Override
      public PropertySchema schema() {
        return PropertySchema.EMPTY;
      }

      @Override
      public List<Resource> render(RenderContext context, Properties properties) {
        return List.of(binding(context.component().name()));
      }
    }).trait(new TraitType() {
      @Override
      public String name() {
        return "admin-too";
      }

      @Override
      public PropertySchema schema() {
        return PropertySchema.EMPTY;
      }

      @Override
      public List<Resource> apply(RenderContext context, Properties properties, List<Resource> resources) {
        List<Resource> out = new ArrayList<>(resources);
        out.add(binding(context.component().name() + "-too"));
        return out;
      }
    });
  }

  static Resource binding(String name) {
    return Resource.fromYaml("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: %s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: Group, name: "system:authenticated"}]
        """.formatted(name));
  }

  @Test
  void aUserTypeOrTraitThatEmitsAClusterRoleBindingIsRefusedUnlessTheProjectAllowsTheKind() {
    Component type = Component.builder("escalate", "admin-binding").build();
    Component trait = Component.builder("web", "webservice").properties(COMPONENTS.get("webservice"))
        .trait(Trait.of("admin-too", Map.of())).build();
    for (Component c : List.of(type, trait)) {
      assertThatThrownBy(() -> plane.apply(app("shop", c, "shop", "prod")))
          .isInstanceOf(ProjectViolationException.class)
          .hasMessageContaining("cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not allowed in "
              + "project shop");
    }
    assertThat(prod.size()).isZero();
    // the platform team's project allows the kind
    assertThat(plane.apply(app("platform", type, "platform", "prod")).succeeded()).isTrue();
    assertThat(prod.all()).anyMatch(r -> r.kind().equals("ClusterRoleBinding"));
  }

  @Test
  void aProjectNarrowsKindsAndComponentTypes() {
    Project narrow = Project.builder("shop").applicationNamespaces("shop").destination("prod", "shop")
        .deniedNamespacedKind("", "ResourceQuota").deniedNamespacedKind("networking.k8s.io", "*")
        .componentTypes("webservice", "k8s-*").build();
    OrchestrationPlane p = plane(withSmugglers(), StateStore.inMemory(), narrow);
    Component quota = Component.builder("quota", "k8s-objects").property("objects", List.of(Map.of(
        "apiVersion", "v1", "kind", "ResourceQuota", "metadata", Map.of("name", "q"),
        "spec", Map.of("hard", Map.of("pods", "1000"))))).build();
    assertThatThrownBy(() -> p.plan(app("shop", quota, "shop", "prod")))
        .hasMessageContaining("ResourceQuota shop/q (cluster prod), component quota: kind ResourceQuota is denied in "
            + "project shop (denied namespaced kind ResourceQuota)");
    Component ingress = Component.builder("web", "webservice").properties(COMPONENTS.get("webservice"))
        .trait(Trait.of("ingress", TRAITS.get("ingress"))).build();
    assertThatThrownBy(() -> p.plan(app("shop", ingress, "shop", "prod")))
        .hasMessageContaining("kind networking.k8s.io/Ingress is denied in project shop");
    Component worker = Component.builder("jobs", "worker").properties(COMPONENTS.get("worker")).build();
    assertThatThrownBy(() -> p.plan(app("shop", worker, "shop", "prod")))
        .hasMessageContaining("component jobs: component type worker is not allowed in project shop (allowed: "
            + "webservice, k8s-*)");
    assertThat(p.plan(app("shop", Component.builder("web", "webservice").properties(COMPONENTS.get("webservice"))
        .build(), "shop", "prod")).hasChanges()).isTrue();
  }

  @Test
  void anApplicationOfNoProjectIsRefusedAndItsStatusSaysWhy() {
    Component web = Component.builder("web", "webservice").properties(COMPONENTS.get("webservice")).build();
    Application stray = app("kube-system", web, "kube-system", "prod");
    assertThatThrownBy(() -> plane.apply(stray)).isInstanceOfSatisfying(ProjectViolationException.class, e -> {
      assertThat(e.project()).isEmpty();
      assertThat(e.getMessage()).startsWith("application kube-system.tenant belongs to no project").contains(
          "namespace kube-system matches the applicationNamespaces of no project (projects: shop, billing, platform)");
    });
    Application escaping = app("shop", web, "billing", "prod");
    assertThat(plane.status(escaping).phase()).isEqualTo(Phase.DEGRADED);
    assertThat(plane.status(escaping).lastError()).contains("namespace billing is not allowed in project shop");
    assertThat(prod.size()).isZero();
  }

  @Test
  void aRollbackToARevisionOutsideTheProjectIsRefused() {
    StateStore shared = StateStore.inMemory();
    OrchestrationPlane unfenced = plane(TypeRegistry.builder(), shared);
    Component web = Component.builder("web", "webservice").properties(COMPONENTS.get("webservice")).build();
    unfenced.apply(app("shop", web, "billing", "prod"));            // revision 1, before projects existed
    unfenced.apply(app("shop", web, "shop", "prod"), io.orchestrationplane.core.observe.Subject.local(),
        io.orchestrationplane.core.release.Origin.code(),
        io.orchestrationplane.core.plan.PruneConsent.CONFIRMED);     // revision 2: every object moves, deletions confirmed
    OrchestrationPlane fenced = plane(TypeRegistry.builder(), shared, SHOP, BILLING);
    int before = prod.size();
    assertThatThrownBy(() -> fenced.rollback("shop.tenant", 1)).isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("namespace billing is not allowed in project shop");
    assertThat(prod.size()).isEqualTo(before);
    assertThat(fenced.history("shop.tenant")).hasSize(2);
  }

  @Test
  void aPlanMadeWithoutTheFenceCannotBeAppliedThroughIt() {
    OrchestrationPlane unfenced = plane(withSmugglers(), StateStore.inMemory());
    Plan smuggled = unfenced.plan(app("shop", Component.builder("escalate", "admin-binding").build(), "shop", "prod"));
    assertThatThrownBy(() -> plane.apply(smuggled)).isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("ClusterRoleBinding escalate (cluster prod)");
    assertThat(prod.size()).isZero();
  }

  @Test
  void continuousModeNeverAppliesWhatTheFenceRefusedAtSubmit() {
    Component web = Component.builder("web", "webservice").properties(COMPONENTS.get("webservice")).build();
    plane.start();
    assertThatThrownBy(() -> plane.submit(app("shop", web, "billing", "prod"), DriftPolicy.CORRECT,
        Subject.of("alice"))).isInstanceOf(ProjectViolationException.class);
    plane.runPending();
    assertThat(plane.statuses()).isEmpty();
    assertThat(prod.size()).isZero();
    assertThat(records).filteredOn(PlaneRecord.Refused.class::isInstance).singleElement()
        .satisfies(r -> assertThat(r.subject()).isEqualTo(Subject.of("alice")));
  }
}
