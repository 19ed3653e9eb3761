package io.orchestrationplane.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Placement;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may do what, through the facade: every call asks the access control first and a refusal writes nothing. */
class AccessControlTest {
  private static final String POLICY = """
      p, role:deployer, applications, *, shop/*, allow
      p, role:deployer, applications, sync, shop/*/prod, deny
      p, role:lead, applications, sync, shop/*, allow
      g, alice, role:deployer
      g, my-org:release-managers, role:lead
      g, my-org:shop-team, role:deployer
      p, ci, applications, sync, *, allow
      """;
  private static final Subject ALICE = Subject.of("alice");
  private static final Subject LEAD = Subject.of("lena", "my-org:release-managers");
  private static final Subject LEAD_IN_TEAM = Subject.of("leo", "my-org:release-managers", "my-org:shop-team");
  private static final Subject BOB = Subject.of("bob");
  private static final Subject MALLORY = Subject.of("mallory");

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
  private final InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
  private final List<PlaneRecord> records = new CopyOnWriteArrayList<>();
  private final OrchestrationPlane plane = OrchestrationPlane.builder()
      .clock(clock)
      .cluster(staging, Map.of("tier", "staging"))
      .cluster(prod, Map.of("tier", "prod"))
      .workers(0)
      .scheduler(Scheduler.manual(clock))
      .subject(Subject.of("ci"))
      .accessControl(RbacPolicy.parse(POLICY).withDefaultRole("role:readonly"))
      .projects(Project.builder("shop").applicationNamespaces("shop").destination("*", "shop").build(),
          Project.builder("billing").applicationNamespaces("billing").destination("*", "billing").build())
      .observer(records::add)
      .build();

  @AfterEach
  void close() {
    plane.close();
  }

  static Application app(String namespace, String name, boolean withProd) {
    Application.Builder b = Application.builder(name).namespace(namespace)
        .component(Component.builder("config", "k8s-objects").property("objects", List.of(Map.of(
            "apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", name + "-config"),
            "data", Map.of("mode", "fast")))).build())
        .environment(Environment.builder("staging").placement(Placement.selector(Map.of("tier", "staging"))).build());
    if (withProd) {
      b.environment(Environment.builder("prod").placement(Placement.selector(Map.of("tier", "prod"))).build());
    }
    return b.build();
  }

  private List<PlaneRecord.Refused> refusals() {
    return records.stream().filter(PlaneRecord.Refused.class::isInstance).map(PlaneRecord.Refused.class::cast).toList();
  }

  @Test
  void aDeployerSyncsHerProjectAndIsRefusedAnotherNamingSubjectActionAndResource() {
    assertThat(plane.apply(app("shop", "checkout", false), ALICE).succeeded()).isTrue();
    assertThat(staging.size()).isPositive();

    int before = staging.size();
    assertThatThrownBy(() -> plane.apply(app("billing", "ledger", false), ALICE))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("alice may not sync application billing.ledger, environment staging, "
              + "in project billing (applications, sync, billing/billing/ledger/staging): no policy line allows it "
              + "(nor the default role role:readonly); nothing was written");
          assertThat(e.request().subject()).isEqualTo(ALICE);
          assertThat(e.request().action()).isEqualTo(Action.SYNC);
        });
    assertThat(staging.size()).as("nothing written").isEqualTo(before);
    assertThat(refusals()).singleElement().satisfies(r -> {
      assertThat(r.subject()).isEqualTo(ALICE);
      assertThat(r.application()).isEqualTo("billing.ledger");
      assertThat(r.action()).isEqualTo("sync");
      assertThat(r.resource()).isEqualTo("applications, sync, billing/billing/ledger/staging");
    });
  }

  @Test
  void aDenyOnOneEnvironmentRefusesTheWholeCallBeforeAnyClusterIsWritten() {
    assertThatThrownBy(() -> plane.apply(app("shop", "checkout", true), ALICE))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("environment prod").hasMessageContaining("denied by policy.csv line 2");
    assertThat(staging.size()).as("not even the allowed environment").isZero();
    assertThat(prod.size()).isZero();
    // Argo CD's server decides each group on its own (server/rbacpolicy EnforceClaims): the deny that
    // reaches leo through my-org:shop-team does not undo what my-org:release-managers allows
    assertThat(plane.apply(app("shop", "checkout", true), LEAD_IN_TEAM).succeeded()).isTrue();
    assertThat(prod.size()).isPositive();
    assertThat(plane.apply(app("shop", "checkout", true), LEAD).succeeded()).isTrue();
    assertThat(prod.size()).isPositive();
  }

  @Test
  void everyCallCarriesItsSubjectAndIsAskedForItsOwnAction() {
    Application checkout = app("shop", "checkout", false);
    // the plane's default subject (ci) may sync everything
    assertThat(plane.apply(checkout).succeeded()).isTrue();
    // get comes from the default role, for anyone
    assertThat(plane.status(checkout, BOB).isInSync()).isTrue();
    assertThat(plane.history("shop.checkout", BOB)).hasSize(1);
    assertThat(plane.revision("shop.checkout", 1, BOB)).isPresent();
    // plan, apply of a plan, delete, rollback: bob may not
    assertThatThrownBy(() -> plane.plan(checkout, BOB)).hasMessageContaining("bob may not plan");
    Plan plan = plane.plan(checkout, ALICE);
    assertThatThrownBy(() -> plane.apply(plan, BOB)).hasMessageContaining("bob may not sync");
    assertThatThrownBy(() -> plane.apply(checkout, plan, BOB)).hasMessageContaining("bob may not sync");
    assertThatThrownBy(() -> plane.planDelete(checkout, BOB)).hasMessageContaining("bob may not plan");
    assertThatThrownBy(() -> plane.delete(checkout, BOB)).hasMessageContaining("bob may not delete");
    assertThatThrownBy(() -> plane.rollback("shop.checkout", 1, BOB)).hasMessageContaining("bob may not rollback");
    assertThatThrownBy(() -> plane.submit(checkout, io.orchestrationplane.core.model.DriftPolicy.CORRECT, BOB))
        .hasMessageContaining("bob may not sync");
    assertThatThrownBy(() -> plane.remove(checkout, BOB)).hasMessageContaining("bob may not delete");
    assertThat(refusals()).extracting(PlaneRecord.Refused::action)
        .containsExactly("plan", "sync", "sync", "plan", "delete", "rollback", "sync", "delete");
    assertThat(refusals()).allMatch(r -> r.subject().equals(BOB));
    // alice may do all of it in shop
    assertThat(plane.rollback("shop.checkout", 1, ALICE).succeeded()).isTrue();
    assertThat(OrchestrationPlane.isRemoved(plane.delete(checkout, ALICE))).isTrue();
    assertThat(staging.size()).isZero();
  }

  @Test
  void continuousModeActsForWhoeverSubmittedAndRefusesOthersAtTheDoor() {
    Application checkout = app("shop", "checkout", false);
    assertThatThrownBy(() -> plane.submit(checkout, io.orchestrationplane.core.model.DriftPolicy.CORRECT, MALLORY))
        .isInstanceOf(AccessDeniedException.class);
    plane.start();
    plane.runPending();
    assertThat(staging.size()).as("a refused submit queues nothing").isZero();
    plane.submit(checkout, io.orchestrationplane.core.model.DriftPolicy.CORRECT, ALICE);
    plane.runPending();
    assertThat(staging.size()).isPositive();
    assertThat(records).filteredOn(PlaneRecord.Written.class::isInstance).allMatch(r -> r.subject().equals(ALICE));
    assertThat(plane.statuses(ALICE)).containsOnlyKeys("shop.checkout");
    assertThat(plane.statuses(Subject.of("nobody"))).as("readonly is everyone's default role")
        .containsOnlyKeys("shop.checkout");
  }

  @Test
  void statusesLeaveOutWhatTheSubjectMayNotGet() {
    OrchestrationPlane strict = OrchestrationPlane.builder().clock(clock).cluster(staging, Map.of("tier", "staging"))
        .workers(0).scheduler(Scheduler.manual(clock)).subject(Subject.of("ci"))
        .accessControl(RbacPolicy.parse("""
            p, ci, applications, sync, *, allow
            p, alice, applications, get, default/shop/*, allow
            """))
        .build();
    try (strict) {
      strict.submit(app("shop", "checkout", false));
      strict.submit(app("billing", "ledger", false));
      assertThat(strict.statuses(ALICE).keySet()).containsExactly("shop.checkout");
      assertThat(strict.statuses(BOB)).isEmpty();
      assertThatThrownBy(() -> strict.status(app("billing", "ledger", false), BOB))
          .hasMessageStartingWith("bob may not get application billing.ledger, in project default");
    }
  }

  @Test
  void anAccessControlThatFailsRefusesWithoutRepeatingItsMessage() {
    AccessControl broken = request -> {
      throw new IllegalStateException("directory down: secret-token-123");
    };
    try (OrchestrationPlane p = OrchestrationPlane.builder().cluster(staging).accessControl(broken).build()) {
      assertThatThrownBy(() -> p.apply(app("shop", "checkout", false)))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("the access control failed to decide (IllegalStateException)")
          .message().doesNotContain("secret-token-123");
      assertThat(staging.size()).isZero();
    }
  }
}
