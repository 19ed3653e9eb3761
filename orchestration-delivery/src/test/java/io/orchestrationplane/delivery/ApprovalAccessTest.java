package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.AccessDeniedException;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.RbacPolicy;
import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.AuditSinks;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.ReleaseStatus.StepPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals and overrides on a plane with access control: asked as {@code approve} and {@code
 * override} of the gated environment's application, refused before anything is recorded, and
 * audited with the release's digest when accepted.
 */
class ApprovalAccessTest {
  /** Developers deploy; only release managers may approve prod; only SREs may override its windows. */
  static final String POLICY = """
      p, role:developer, applications, sync, shop/*, allow
      p, role:developer, applications, plan, shop/*, allow
      p, role:release-manager, applications, approve, shop/*/prod, allow
      p, role:sre, applications, override, shop/*/prod, allow
      g, dev-team, role:developer
      g, rita, role:release-manager
      g, sre, role:sre
      """;

  static final Subject DANA = Subject.of("dana", "dev-team");
  static final Subject ERIN = Subject.of("erin", "dev-team");
  static final Subject RITA = Subject.of("rita");

  @TempDir
  Path dir;

  final ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T09:00:00Z"));
  final InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
  final InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
  final StateStore store = StateStore.inMemory();
  Path file;
  AuditLog audit;
  OrchestrationPlane plane;

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("audit.jsonl");
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    audit = AuditLog.builder(AuditSinks.jsonLines(file), key).clock(clock).build();
    plane = OrchestrationPlane.builder().clock(clock).logging(false).cluster(staging).cluster(prod).stateStore(store)
        .accessControl(RbacPolicy.parse("policy.csv", POLICY).withDefaultRole("role:readonly"))
        .projects(Project.builder("shop").applicationNamespaces("shop")
            .destination("staging", "shop-*").destination("prod", "shop-*").build())
        .observer(audit).build();
  }

  @AfterEach
  void tearDown() {
    plane.close();
    audit.close();
    store.close();
  }

  static Application shop(String version) {
    Application.Builder app = Application.builder("shop").namespace("shop")
        .component(Component.builder("settings", "k8s-objects")
            .property("objects", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "settings"), "data", Map.of("version", version))))
            .build());
    for (String env : List.of("staging", "prod")) {
      app.environment(Environment.builder(env).namespace("shop-" + env).clusters(env).build());
    }
    return app.build();
  }

  static Workflow gatedProd() {
    return Workflow.builder("gated")
        .step(Step.apply("deploy-staging", "staging"))
        .step(Step.approval("approve-prod", ApprovalRule.of(1, "erin", "rita")))
        .step(Step.apply("deploy-prod", "prod"))
        .build();
  }

  @Test
  void aDevelopersApprovalIsRefusedAndRecordsNothingAReleaseManagersIsAuditedWithTheDigest() throws IOException {
    Delivery delivery = Delivery.builder().plane(plane).store(store).identity("engine").build();
    Release one = delivery.start(shop("1"), gatedProd(), DANA, Origin.code());
    delivery.runPending();
    assertThat(step(delivery, "approve-prod").phase()).isEqualTo(StepPhase.WAITING);

    // erin is eligible by the step's rule, but the plane's access control does not let her approve prod
    assertThatThrownBy(() -> delivery.approve("shop.shop", "approve-prod", one.digest(), ERIN, "lgtm"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("erin [dev-team] may not approve application shop.shop-prod, environment prod")
        .hasMessageContaining("(applications, approve, shop/shop/shop-prod/prod)");
    assertThat(step(delivery, "approve-prod").decisions()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    delivery.runPending();
    assertThat(step(delivery, "approve-prod").phase()).isEqualTo(StepPhase.WAITING);
    assertThat(prod.size()).isZero();

    delivery.approve("shop.shop", "approve-prod", one.digest(), RITA, "staging\u001b[31m looks\ngood\u0000");
    assertThat(step(delivery, "approve-prod").decisions()).hasSize(1);
    delivery.runPending();
    assertThat(step(delivery, "deploy-prod").phase()).isEqualTo(StepPhase.SUCCEEDED);
    assertThat(prod.size()).isPositive();

    List<AuditRecord> records = records();
    AuditRecord refused = records.stream().filter(r -> r.action() == AuditAction.REFUSE).findFirst().orElseThrow();
    assertThat(refused.subject()).isEqualTo(ERIN);
    assertThat(refused.application()).isEqualTo("shop.shop-prod");
    assertThat(refused.verdicts()).singleElement()
        .satisfies(v -> assertThat(v.object()).isEqualTo("applications, approve, shop/shop/shop-prod/prod"));
    List<AuditRecord> approvals = records.stream().filter(r -> r.action() == AuditAction.APPROVE).toList();
    assertThat(approvals).singleElement().satisfies(r -> {
      assertThat(r.subject()).isEqualTo(RITA);
      assertThat(r.application()).isEqualTo("shop.shop");
      assertThat(r.revision()).isEqualTo(one.digest());
      assertThat(r.message()).isEqualTo("step approve-prod: staging[31m looks good");
    });
    // the approval comes before the prod deploy it let through
    int approvedAt = records.indexOf(approvals.get(0));
    int prodAt = indexOf(records, AuditAction.EXECUTE, "shop.shop-prod");
    assertThat(approvedAt).isLessThan(prodAt);
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .contains("\"action\":\"approve\"", "\"revision\":\"" + one.digest() + "\"");
    assertThat(audit.verify()).isInstanceOf(AuditVerification.Intact.class);
  }

  @Test
  void aRejectionIsAskedAsApproveAndAuditedAsRejectApproval() throws IOException {
    Delivery delivery = Delivery.builder().plane(plane).store(store).identity("engine").build();
    Release one = delivery.start(shop("1"), gatedProd(), DANA, Origin.code());
    delivery.runPending();

    assertThatThrownBy(() -> delivery.reject("shop.shop", "approve-prod", ERIN, "no"))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(step(delivery, "approve-prod").phase()).isEqualTo(StepPhase.WAITING);

    delivery.reject("shop.shop", "approve-prod", RITA, "not this week");
    delivery.runPending();
    assertThat(step(delivery, "approve-prod").phase()).isEqualTo(StepPhase.FAILED);
    assertThat(prod.size()).isZero();
    assertThat(records()).filteredOn(r -> r.action() == AuditAction.REJECT_APPROVAL).singleElement()
        .satisfies(r -> {
          assertThat(r.subject()).isEqualTo(RITA);
          assertThat(r.revision()).isEqualTo(one.digest());
          assertThat(r.message()).isEqualTo("step approve-prod: not this week");
        });
    assertThat(audit.verify()).isInstanceOf(AuditVerification.Intact.class);
  }

  @Test
  void aWindowOverrideNeedsTheOverridePermissionOnTheEnvironmentAndIsAudited() throws IOException {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Workflow wf = Workflow.builder("frozen")
        .step(Step.apply("deploy-prod", "prod"))
        .window(ChangeWindow.deny("0 0 20 12 *", Duration.ofDays(13), berlin, "prod")
            .overridableBy(ApprovalRule.of(1, "sam", "rita")))
        .build();
    clock.advance(Duration.between(clock.instant(), Instant.parse("2026-12-22T10:00:00Z")));
    Delivery delivery = Delivery.builder().plane(plane).store(store).identity("engine").build();
    Release one = delivery.start(shop("1"), wf, DANA, Origin.code());
    delivery.runPending();

    // rita may approve prod, but overriding its windows is the SREs' call
    assertThatThrownBy(() -> delivery.approveWindowOverride("shop.shop", "prod", RITA, "hotfix"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("(applications, override, shop/shop/shop-prod/prod)");
    delivery.runPending();
    assertThat(prod.size()).isZero();

    delivery.approveWindowOverride("shop.shop", "prod", Subject.of("sam", "sre"), "payment outage hotfix");
    delivery.runPending();
    assertThat(prod.size()).isPositive();
    assertThat(records()).filteredOn(r -> r.action() == AuditAction.OVERRIDE).singleElement()
        .satisfies(r -> {
          assertThat(r.subject().name()).isEqualTo("sam");
          assertThat(r.application()).isEqualTo("shop.shop");
          assertThat(r.revision()).isEqualTo(one.digest());
          assertThat(r.message()).isEqualTo("environment prod: payment outage hotfix");
        });
    assertThat(audit.verify()).isInstanceOf(AuditVerification.Intact.class);
  }

  private static ReleaseStatus.StepStatus step(Delivery delivery, String name) {
    return delivery.status("shop.shop").run().orElseThrow().step(name).orElseThrow();
  }

  private static int indexOf(List<AuditRecord> records, AuditAction action, String application) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).action() == action && records.get(i).application().equals(application)) {
        return i;
      }
    }
    throw new AssertionError("no " + action + " record of " + application + " in " + records);
  }

  private List<AuditRecord> records() throws IOException {
    audit.flush();
    List<AuditRecord> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (AuditEntry.parse(line) instanceof AuditRecord r) {
        out.add(r);
      }
    }
    return out;
  }
}
