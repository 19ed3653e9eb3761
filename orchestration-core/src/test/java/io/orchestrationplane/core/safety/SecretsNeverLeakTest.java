package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 5: secret values never reach a plan (text or JSON), a status, an event, a log
 * line or an exception message, whatever their length: canaries of 1 to 64 characters go through
 * a Secret, a sensitive property rendered into another object, a cluster error that quotes the
 * object, a policy message that quotes it, a YAML syntax error next to it and a type that fails
 * with it in its message; every channel is scanned.
 */
class SecretsNeverLeakTest {
  /** Characters that appear in no digest, key, path or message of the plane: a canary stands out. */
  private static final String ALPHABET = "ÆØÅßΩΣλπжЖ";

  /** A type with a sensitive password that renders it into a Secret and, as a DSN, into a ConfigMap. */
  static final class DatabaseType implements ComponentType {
    @Override
    public String name() {
      return "database";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder()
          .add(new PropertySpec("password", PropertyType.STRING, true, null, "the admin password", null, true))
          .add(new PropertySpec("failWith", PropertyType.BOOLEAN, false, false, "fail rendering", null, false))
          .build();
    }

    @Override
    public List<Resource> render(RenderContext ctx, Properties p) {
      String password = p.string("password");
      if (p.bool("failWith", false)) {
        throw new IllegalStateException("could not render: password " + password + " is rejected by the vault");
      }
      return List.of(
          Resource.fromYaml("""
              apiVersion: v1
              kind: Secret
              metadata: {name: db}
              stringData: {password: "%s"}
              """.formatted(password)),
          Resource.fromYaml("""
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: db-dsn}
              data: {dsn: "postgres://admin:%s@db:5432/shop"}
              """.formatted(password)));
    }
  }

  static String canary(int length, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  static Application app(String password, boolean fail) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("db", "database").property("password", password).property("failWith", fail).build())
        .build();
  }

  @Test
  void canariesOfEveryLengthReachNoChannel() throws Exception {
    for (int length = 1; length <= 64; length++) {
      String first = canary(length, length);
      String second = canary(length, 1000 + length);
      List<String> channels = run(first, second);
      for (String text : channels) {
        assertThat(text).as("length %d", length).doesNotContain(first).doesNotContain(second);
      }
    }
  }

  /** Every output of a scripted run with two passwords, in order: the texts to scan. */
  private List<String> run(String first, String second) throws Exception {
    List<String> out = new ArrayList<>();
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      ManualClock clock = ManualClock.create();
      InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();
      EchoingDriver echoing = new EchoingDriver(cluster);
      // the audit trail is a channel too (issue 17): every decision of the run, verdicts and outcomes included
      java.nio.file.Path auditDir = java.nio.file.Files.createTempDirectory("audit");
      java.nio.file.Path auditFile = auditDir.resolve("audit.jsonl");
      io.orchestrationplane.core.audit.AuditLog audit = io.orchestrationplane.core.audit.AuditLog.builder(
          io.orchestrationplane.core.audit.AuditSinks.jsonLines(auditFile),
          java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair()).clock(clock).build();
      String quoting = """
          apiVersion: admissionregistration.k8s.io/v1
          kind: ValidatingAdmissionPolicy
          metadata: {name: no-weak-dsn}
          spec:
            failurePolicy: Fail
            matchConstraints:
              resourceRules:
                - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"]}
            validations:
              - expression: "!has(object.data) || !has(object.data.dsn) || object.data.dsn.startsWith('postgresql://')"
                messageExpression: "'weak dsn: ' + object.data.dsn"
          ---
          apiVersion: admissionregistration.k8s.io/v1
          kind: ValidatingAdmissionPolicyBinding
          metadata: {name: no-weak-dsn}
          spec: {policyName: no-weak-dsn, validationActions: [Warn]}
          """;
      try (Scheduler scheduler = Scheduler.manual(clock);
          OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(echoing)
              .componentType(new DatabaseType()).workers(0).scheduler(scheduler).observer(audit)
              .policies(PolicyEngine.builder().policies(PolicyLoader.load(quoting)).build()).build()) {
        List<PlaneEvent> events = new ArrayList<>();
        plane.addListener(events::add);

        Plan create = plane.plan(app(first, false));
        out.add(create.toText(true));
        out.add(create.toJson());
        out.add(create.toString());
        plane.apply(create);

        Plan update = plane.plan(app(second, false));
        out.add(update.toText(true));
        out.add(update.toJson());
        out.add(String.valueOf(update.changes()));
        out.add(plane.status(app(second, false)).toString());

        plane.start();
        echoing.echo = true; // the cluster now answers writes with an error quoting the object
        plane.submit(app(second, false));
        plane.runPending();
        out.add(plane.status(app(second, false)).toString());
        out.add(plane.status(app(second, false)).toText());
        echoing.echo = false;
        clock.advance(Duration.ofMinutes(10));
        plane.runPending();
        out.add(plane.status(app(second, false)).toText());

        // drift: someone edits the Secret and the DSN; status and events show what differs
        plane.stop();
        cluster.update(cluster.get(ResourceKey.of("prod", "", "ConfigMap", "shop", "db-dsn")).orElseThrow()
            .edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("data")).put("dsn", "x" + first)));
        out.add(plane.status(app(second, false)).toString());
        out.add(plane.plan(app(second, false)).toText(true));

        // a type that fails with the password in its message: refused at submit and at plan
        plane.start();
        for (Runnable call : List.<Runnable>of(() -> plane.submit(app(first, true)), () -> plane.plan(app(first, true)))) {
          try {
            call.run();
            throw new AssertionError("a type that fails to render must be refused");
          } catch (io.orchestrationplane.core.model.ValidationException e) {
            out.add(e.getMessage());
          }
        }
        plane.runPending();

        // a YAML document with a syntax error right after the password
        try {
          plane.load("""
              apiVersion: orchestrationplane.io/v1alpha1
              kind: Application
              metadata: {name: shop, namespace: shop}
              spec:
                components:
                  - name: db
                    type: database
                    properties: {password: "%s
              """.formatted(first));
        } catch (RuntimeException e) {
          out.add(e.toString());
          out.add(String.valueOf(e.getCause()));
        }
        // the sensitive property with the wrong type
        try {
          plane.validate(Application.builder("bad").namespace("shop").component(Component.builder("db", "database")
              .property("password", List.of(first)).build()).build());
        } catch (RuntimeException e) {
          out.add(e.toString());
        }
        events.forEach(e -> out.add(e.toString()));
      }
      audit.close();
      String trail = java.nio.file.Files.readString(auditFile);
      if (!trail.contains("no-weak-dsn") || !trail.contains("\"execute\"")) {
        throw new AssertionError("the audit trail should hold the run's decisions");
      }
      out.add(trail);
      java.nio.file.Files.delete(auditFile);
      java.nio.file.Files.delete(auditDir);
    } finally {
      System.setErr(originalErr);
    }
    out.add(logs.toString(StandardCharsets.UTF_8));
    return out;
  }

  /** A cluster whose writes fail, while {@link #echo} is set, with a message quoting the whole object. */
  static final class EchoingDriver implements ClusterDriver {
    private final InMemoryCluster delegate;
    volatile boolean echo;

    EchoingDriver(InMemoryCluster delegate) {
      this.delegate = delegate;
    }

    private void maybeFail(Resource r) {
      if (echo) {
        throw ClusterException.invalid(name(), r.kind() + " \"" + r.name() + "\" is invalid: "
            + io.orchestrationplane.core.resource.Json.writeJson(r.json()));
      }
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Optional<Resource> get(ResourceKey key) {
      return delegate.get(key);
    }

    @Override
    public List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels) {
      return delegate.list(kind, namespace, labels);
    }

    @Override
    public Resource apply(Resource desired) {
      maybeFail(desired);
      return delegate.apply(desired);
    }

    @Override
    public Resource create(Resource object) {
      maybeFail(object);
      return delegate.create(object);
    }

    @Override
    public Resource updateStatus(Resource withStatus) {
      return delegate.updateStatus(withStatus);
    }

    @Override
    public boolean delete(ResourceKey key) {
      return delegate.delete(key);
    }

    @Override
    public boolean delete(ResourceKey key, Preconditions preconditions) {
      return delegate.delete(key, preconditions);
    }

    @Override
    public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
      return delegate.watch(kinds, listener);
    }
  }
}
