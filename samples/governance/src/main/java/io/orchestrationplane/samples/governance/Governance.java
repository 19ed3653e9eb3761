package io.orchestrationplane.samples.governance;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.AccessDeniedException;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.ProjectViolationException;
import io.orchestrationplane.core.access.RbacPolicy;
import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.AuditSink;
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
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.Release;
import io.orchestrationplane.delivery.Workflow;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Governance on one plane, on two in-memory clusters and a fake clock:
 * <ol>
 *   <li>an intern's direct sync of the shop is refused by the Argo CD RBAC policy (a deny line for
 *       prod), and a teammate's change that smuggles a ClusterRoleBinding in a raw manifest is
 *       refused by the shop project's fence; nothing is written;</li>
 *   <li>the same team ships release 1 through a delivery workflow: staging, then an approval of
 *       prod that only release managers may give (the intern's is refused by the RBAC policy), that
 *       its author may not give herself and a second person gives, then prod;</li>
 *   <li>every decision went into a tamper-evident audit log (a JSON Lines file, checkpoints signed
 *       with an Ed25519 key generated at start); one record of the file is edited, and verification
 *       with only the file and the public key names the edited record, and the plane refuses to
 *       continue the log.</li>
 * </ol>
 */
public final class Governance {

  /** The RBAC policy, in Argo CD's {@code policy.csv} format. */
  static final String POLICY_CSV = """
      p, role:shop-deployer, applications, plan, shop/*, allow
      p, role:shop-deployer, applications, sync, shop/*, allow
      p, role:intern, applications, sync, */*/prod, deny
      g, my-org:shop-team, role:shop-deployer
      g, my-org:interns, role:intern
      p, role:release-manager, applications, approve, shop/*/prod, allow
      g, my-org:release-managers, role:release-manager
      g, role:intern, role:shop-deployer
      """;

  /** Staging, then one approval by alice or bob (never the author), then prod. */
  static final String WORKFLOW = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Workflow
      metadata: {name: shop-release}
      spec:
        steps:
          - {name: deploy-staging, type: apply, properties: {environment: staging}}
          - name: approve-prod
            type: approval
            timeout: 24h
            properties: {required: 1, approvers: [alice, bob]}
          - {name: deploy-prod, type: apply, properties: {environment: prod}}
      """;

  /**
   * In the interns' group only: Argo CD decides each group on its own, so a deny line reaches the
   * grants of the same group (role:intern has role:shop-deployer), never another group's.
   */
  static final Subject IVAN = Subject.of("ivan", "my-org:interns");
  static final Subject DANA = Subject.of("dana", "my-org:shop-team", "my-org:release-managers");
  static final Subject BOB = Subject.of("bob", "my-org:shop-team", "my-org:release-managers");

  private Governance() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("governance-sample");
    run(System.out, dir.resolve("audit.jsonl"));
  }

  /**
   * Runs the demo, writing the story to {@code out} and the audit log to {@code auditFile}
   * (created; must not exist); returns what the auditor's verification of the edited file found.
   */
  public static AuditVerification run(PrintStream out, Path auditFile) {
    KeyPair key = ed25519();
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T09:00:00Z"));
    InMemoryCluster staging = InMemoryCluster.builder("staging").clock(clock).build();
    InMemoryCluster prod = InMemoryCluster.builder("prod").clock(clock).build();
    Project shopProject = Project.builder("shop").applicationNamespaces("shop")
        .destination("staging", "shop-*").destination("prod", "shop-*").build();

    section(out, "Setup");
    out.println("policy.csv:");
    out.println(indent(POLICY_CSV));
    out.println("project shop: applications of namespace shop, destinations staging/shop-* and prod/shop-*,"
        + " no cluster-scoped kinds");
    out.println("audit log: " + auditFile + ", checkpoints signed with a new Ed25519 key");

    AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(auditFile), key).clock(clock).build();
    try (StateStore store = StateStore.inMemory();
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false)
            .cluster(staging).cluster(prod).stateStore(store)
            .subject(Subject.of("release-bot"))
            .accessControl(RbacPolicy.parse("policy.csv", POLICY_CSV).withDefaultRole("role:readonly"))
            .projects(shopProject)
            .observer(audit)
            .build()) {

      section(out, "1. Refused changes");
      out.println("ivan (an intern, with the shop deployers' role) syncs the shop straight to staging and prod:");
      out.println(indent(refusal(() -> plane.apply(shop("ghcr.io/acme/shop-api:1.4.2"), IVAN))));
      out.println("dana (shop team) adds a raw manifest binding cluster-admin to the shop's service account:");
      out.println(indent(refusal(() -> plane.apply(withClusterAdmin(shop("ghcr.io/acme/shop-api:1.4.2")), DANA))));
      out.println("objects on staging: " + staging.size() + ", on prod: " + prod.size());

      section(out, "2. An approved release");
      Delivery delivery = Delivery.builder().plane(plane).store(store).identity("governance-demo").build();
      Release one = delivery.start(shop("ghcr.io/acme/shop-api:1.4.2"), Workflow.fromYaml(WORKFLOW), DANA,
          Origin.git("https://git.example.com/acme/shop.git", "3f9c2a1", "deploy/shop.yaml"));
      out.println("dana starts " + one);
      delivery.runPending();
      out.println("ivan approves the release:");
      out.println(indent(refusal(() -> delivery.approve("shop.shop", "approve-prod", one.digest(), IVAN, "ship it"))));
      out.println("dana approves her own release: "
          + refusal(() -> delivery.approve("shop.shop", "approve-prod", one.digest(), DANA, "lgtm")));
      clock.advance(Duration.ofMinutes(20));
      delivery.approve("shop.shop", "approve-prod", one.digest(), BOB, "staging looks good");
      out.println("bob approves: accepted");
      delivery.runPending();
      out.println(indent(delivery.status("shop.shop").toText()));
      out.println("objects on staging: " + staging.size() + ", on prod: " + prod.size());
      out.println("(the approval is kept with the release, above, and in the audit log with the release's digest;"
          + " the applies act for the release's author)");

      section(out, "3. The audit log");
      out.println("records, as " + auditFile.getFileName() + " holds them:");
      for (AuditRecord r : records(auditFile)) {
        out.println("    " + describe(r));
      }
      out.println("audit.verify(): " + audit.verify());
    } finally {
      audit.close(); // writes a last signed checkpoint over every record
    }

    out.println("closed (a last signed checkpoint); an auditor with the file and the public key: "
        + verify(auditFile, key.getPublic()));
    int edited = editProdDeployer(auditFile);
    out.println("someone edits line " + edited + " of the file: the prod deploy now reads as bob's, not dana's");
    AuditVerification found = verify(auditFile, key.getPublic());
    out.println("AuditLog.verify(file, publicKey): " + found);
    out.println("reopening the log to continue it: "
        + refusal(() -> AuditLog.builder(AuditSinks.jsonLines(auditFile), key).clock(clock).build().close()));
    return found;
  }

  /** The shop's api in staging and prod. */
  static Application shop(String apiImage) {
    Application.Builder app = Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", apiImage).property("port", 9000).build());
    for (String env : List.of("staging", "prod")) {
      app.environment(Environment.builder(env).namespace("shop-" + env).clusters(env).build());
    }
    return app.build();
  }

  /** {@code app} with a raw manifest that would make the shop's service account cluster-admin. */
  static Application withClusterAdmin(Application app) {
    Component raw = Component.builder("debug-access", "k8s-objects").property("manifests", """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: shop-debug}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: default, namespace: shop-prod}]
        """).build();
    Application.Builder b = Application.builder(app.name()).namespace(app.namespace());
    app.components().forEach(b::component);
    b.component(raw);
    app.environments().forEach(b::environment);
    return b.build();
  }

  /** Replaces dana by bob as the subject of the record that executed the prod deploy; returns its line. */
  private static int editProdDeployer(Path file) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.contains("\"action\":\"execute\"") && line.contains("\"application\":\"shop.shop-prod\"")) {
          lines.set(i, line.replace("\"name\":\"dana\"", "\"name\":\"bob\""));
          Files.write(file, lines, StandardCharsets.UTF_8);
          return i + 1;
        }
      }
      throw new IllegalStateException("no record of the prod deploy in " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AuditVerification verify(Path file, PublicKey key) {
    try (AuditSink sink = AuditSinks.jsonLines(file)) {
      return AuditLog.verify(sink, key);
    }
  }

  private static List<AuditRecord> records(Path file) {
    try {
      List<AuditRecord> records = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (AuditEntry.parse(line) instanceof AuditRecord r) {
          records.add(r);
        }
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(AuditRecord r) {
    StringBuilder s = new StringBuilder(String.format("#%d %-7s %-17s by %s", r.sequence(), r.action().jsonName(),
        r.application(), r.subject().name()));
    for (AuditRecord.ClusterOutcome o : r.outcomes()) {
      s.append(", ").append(o.cluster()).append(": ").append(o.applied()).append(" applied");
    }
    if (r.action() == AuditAction.APPROVE) {
      s.append(", ").append(r.message());
    }
    for (AuditRecord.Verdict v : r.verdicts()) {
      if (v.action().equals("Refuse")) {
        s.append(", ").append(v.object());
      }
    }
    return s.toString();
  }

  private static String refusal(Runnable action) {
    try {
      action.run();
      return "accepted";
    } catch (AccessDeniedException | ProjectViolationException e) {
      return "refused: " + e.getMessage();
    } catch (RuntimeException e) {
      return "refused (" + e.getMessage() + ")";
    }
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== " + title + " ==");
  }

  private static String indent(String text) {
    return text.lines().map(l -> "    " + l + "\n").reduce("", String::concat).stripTrailing();
  }
}
