package io.orchestrationplane.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.AuditSinkException;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.audit.Checkpoint;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 17, item 4, the JDBC sink against a real PostgreSQL: an audit log over the table records a
 * scripted plane run and verifies; the table refuses UPDATE, DELETE and TRUNCATE, and an edit that
 * bypasses that is named by verify; a new sink and log continue the chain; a second writer over
 * the same table is refused and never forks the chain.
 */
class JdbcAuditSinkIT {
  private static final Subject ALICE = Subject.of("alice@example.com", "platform");
  private static final String POLICIES = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: no-bad-image}
      spec:
        failurePolicy: Fail
        matchConstraints:
          resourceRules:
            - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
        validations:
          - expression: "object.spec.template.spec.containers.all(c, c.image != 'acme/api:bad')"
            message: "acme/api:bad is withdrawn"
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicyBinding
      metadata: {name: no-bad-image}
      spec: {policyName: no-bad-image, validationActions: [Deny]}
      """;

  private final String schema = Postgres.freshSchema();
  private KeyPair key;
  private ManualClock clock;

  @BeforeEach
  void setUp() throws Exception {
    key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    clock = ManualClock.create();
  }

  private JdbcAuditSink sink() {
    return sink(Postgres.dataSource());
  }

  private JdbcAuditSink sink(DataSource dataSource) {
    return JdbcAuditSink.builder(dataSource).schema(schema).build();
  }

  private AuditLog open(int checkpointEvery) {
    return AuditLog.builder(sink(), key).checkpointEvery(checkpointEvery).clock(clock).build();
  }

  private static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).property("replicas", 2).build())
        .build();
  }

  /** A scripted run: apply, a denied change, another apply. */
  private void run(AuditLog audit, String version) {
    try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.create("prod"))
        .policies(PolicyEngine.builder().policies(PolicyLoader.load(POLICIES)).build()).observer(audit).build()) {
      plane.apply(shop("acme/api:" + version), ALICE);
      clock.advance(Duration.ofMinutes(1));
      assertThatThrownBy(() -> plane.apply(shop("acme/api:bad"), ALICE)).isInstanceOf(AdmissionDeniedException.class);
      plane.apply(shop("acme/api:" + version + ".1"), ALICE);
    }
  }

  private List<String> rows() {
    return query("SELECT seq, entry FROM " + schema + ".audit_log ORDER BY seq", rs -> {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        assertThat(rs.getLong(1)).as("seq").isEqualTo(out.size() + 1);
        out.add(rs.getString(2));
      }
      return out;
    });
  }

  private static <T> T query(String sql, ResultReader<T> reader) {
    try (Connection c = Postgres.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
         ResultSet rs = s.executeQuery()) {
      return reader.read(rs);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface ResultReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs statements on one connection as the superuser, triggers off: a DBA going around the table's guard. */
  private static void bypassingTriggers(String... sql) {
    try (Connection c = Postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the deployment governance.md recommends: a role that may only read and insert

  @Test
  void aRoleWithOnlySelectAndInsertKeepsTheLogAndCannotChangeIt() throws SQLException {
    JdbcAuditSink.ddl(schema).forEach(Postgres::execute); // the owner (here the superuser) runs the DDL
    String role = "audit_writer_" + schema;
    Postgres.execute("CREATE ROLE " + role + " LOGIN");
    Postgres.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
    Postgres.execute("GRANT SELECT, INSERT ON " + schema + ".audit_log TO " + role);
    PGSimpleDataSource asRole = new PGSimpleDataSource();
    asRole.setUrl(((PGSimpleDataSource) Postgres.dataSource()).getUrl());
    asRole.setUser(role);

    try (AuditLog audit = AuditLog.builder(JdbcAuditSink.builder(asRole).schema(schema).createTables(false).build(),
        key).clock(clock).build()) {
      run(audit, "1");
      assertThat(audit.verify().isIntact()).isTrue();
    }
    try (Connection c = asRole.getConnection(); Statement s = c.createStatement()) {
      for (String sql : List.of("UPDATE " + schema + ".audit_log SET entry = '{}'", "DELETE FROM " + schema
          + ".audit_log", "TRUNCATE " + schema + ".audit_log", "ALTER TABLE " + schema
          + ".audit_log DISABLE TRIGGER ALL")) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("42501")); // insufficient_privilege
      }
    }
    assertThat(rows()).hasSize(6);
  }

  // ---- a plane run, recorded and verified

  @Test
  void anAuditLogOverTheTableRecordsAPlaneRunAndVerifies() {
    try (AuditLog audit = open(2)) {
      run(audit, "1");
      List<String> rows = rows();
      List<AuditEntry> entries = rows.stream().map(AuditEntry::parse).toList();
      assertThat(entries).filteredOn(AuditRecord.class::isInstance).map(e -> ((AuditRecord) e).action())
          .containsExactly(AuditAction.PLAN, AuditAction.EXECUTE, AuditAction.DENY, AuditAction.PLAN,
              AuditAction.EXECUTE);
      assertThat(entries).filteredOn(Checkpoint.class::isInstance).hasSize(2); // after records 2 and 4
      // each row is the entry's JSON line, exactly
      assertThat(rows).isEqualTo(entries.stream().map(AuditEntry::toJson).toList());
      assertThat(audit.verify()).isEqualTo(new AuditVerification.Intact(5, 2, audit.head(), true));
    }
    // an auditor with the table and the public key only; close() added a last checkpoint
    assertThat(AuditLog.verify(sink(), key.getPublic()))
        .isInstanceOfSatisfying(AuditVerification.Intact.class, v -> assertThat(v.checkpoints()).isEqualTo(3));
  }

  // ---- append-only

  @Test
  void theTableRefusesUpdateDeleteAndTruncateEvenForTheSuperuser() {
    try (AuditLog audit = open(1000)) {
      run(audit, "1");
    }
    String table = schema + ".audit_log";
    for (String sql : List.of("UPDATE " + table + " SET entry = '{}' WHERE seq = 2", "DELETE FROM " + table
        + " WHERE seq = 2", "TRUNCATE " + table)) {
      assertThatThrownBy(() -> Postgres.execute(sql)).as(sql)
          .hasMessageContaining("audit table " + schema + ".audit_log is append-only: "
              + sql.substring(0, sql.indexOf(' ')) + " refused");
    }
    assertThat(rows()).hasSize(6);
    assertThat(AuditLog.verify(sink(), key.getPublic()).isIntact()).isTrue();
  }

  @Test
  void anEditedRowIsNamedByVerify() {
    try (AuditLog audit = open(1000)) {
      run(audit, "1");
      bypassingTriggers("UPDATE " + schema + ".audit_log SET entry = replace(entry, 'alice@example.com', "
          + "'mallory@example.com') WHERE seq = 3");
      assertThat(audit.verify()).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
        assertThat(b.line()).isEqualTo(3);
        assertThat(b.sequence()).isEqualTo(2);
        assertThat(b.reason()).contains("edited");
      });
    }
    assertThatThrownBy(() -> open(1000)).isInstanceOf(IllegalStateException.class).hasMessageContaining("line 3");
  }

  @Test
  void aDeletedRowIsNamedByVerify() {
    try (AuditLog audit = open(1000)) {
      run(audit, "1");
    }
    bypassingTriggers("DELETE FROM " + schema + ".audit_log WHERE seq = 2");
    assertThat(AuditLog.verify(sink(), key.getPublic())).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
      assertThat(b.line()).isEqualTo(2);
      assertThat(b.reason()).contains("deleted");
    });
  }

  // ---- restart

  @Test
  void aNewSinkAndLogOverTheSameTableContinueTheChain() {
    String root;
    try (AuditLog first = open(2)) {
      run(first, "1");
      root = first.checkpoint().root();
    }
    try (AuditLog second = open(2)) {
      assertThat(second.size()).isEqualTo(5);
      run(second, "2");
      assertThat(second.verify()).isInstanceOfSatisfying(AuditVerification.Intact.class,
          v -> assertThat(v.records()).isEqualTo(10));
      assertThat(second.checkpoints().get(2).root()).isEqualTo(root); // the first log's last checkpoint, kept
      Checkpoint latest = second.checkpoint(); // of all 10 records
      assertThat(latest.size()).isEqualTo(10);
      assertThat(second.consistencyProof(5, 10).verify(root, latest.root())).isTrue();
    }
    List<AuditEntry> entries = rows().stream().map(AuditEntry::parse).toList();
    assertThat(entries).filteredOn(AuditRecord.class::isInstance).map(e -> ((AuditRecord) e).sequence())
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(AuditLog.verify(sink(), key.getPublic()).isIntact()).isTrue();
  }

  // ---- one writer

  @Test
  void aSecondLogOverTheSameTableIsRefusedAndTheChainStaysWhole() {
    try (AuditLog first = open(1000); AuditLog second = open(1000)) {
      run(first, "1");
      int rows = rows().size();
      assertThatThrownBy(() -> second.observeAll(List.of(denied("second"))))
          .isInstanceOf(AuditSinkException.class)
          .hasMessageContaining("row 1 of audit table " + schema + ".audit_log holds another entry")
          .hasMessageContaining("another writer")
          .hasMessageNotContaining("alice");
      assertThat(rows()).hasSize(rows);
      run(first, "2"); // the first writer goes on
      assertThat(first.verify().isIntact()).isTrue();
      // the second log's records stay pending and keep being refused; they never reach the table
      assertThatThrownBy(second::flush).isInstanceOf(AuditSinkException.class);
      assertThat(first.verify()).isInstanceOfSatisfying(AuditVerification.Intact.class,
          v -> assertThat(v.records()).isEqualTo(10));
    } catch (AuditSinkException closing) {
      // closing the second log tries its pending records once more, and is refused again
      assertThat(closing).hasMessageContaining("another writer");
    }
    assertThat(AuditLog.verify(sink(), key.getPublic())).isInstanceOfSatisfying(AuditVerification.Intact.class,
        v -> assertThat(v.records()).isEqualTo(10));
  }

  @Test
  void twoSinksRacingForTheSameRowsStoreExactlyOneBatch() throws Exception {
    // Two "processes": sinks with connections of their own, both at the table's end, appending at once.
    List<AuditEntry> a = chain("a", 3);
    List<AuditEntry> b = chain("b", 3);
    for (int round = 0; round < 10; round++) {
      String roundSchema = Postgres.freshSchema();
      JdbcAuditSink one = JdbcAuditSink.builder(Postgres.dataSource()).schema(roundSchema).build();
      JdbcAuditSink two = JdbcAuditSink.builder(Postgres.dataSource()).schema(roundSchema).build();
      CyclicBarrier start = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Boolean> first = pool.submit(appending(one, a, start));
        Future<Boolean> second = pool.submit(appending(two, b, start));
        assertThat(List.of(first.get(1, TimeUnit.MINUTES), second.get(1, TimeUnit.MINUTES)))
            .as("round %d: exactly one batch stored", round).containsExactlyInAnyOrder(true, false);
        List<String> stored = new ArrayList<>();
        one.read(stored::add);
        List<AuditEntry> winner = first.get() ? a : b;
        assertThat(stored).isEqualTo(winner.stream().map(AuditEntry::toJson).toList());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static Callable<Boolean> appending(JdbcAuditSink sink, List<AuditEntry> batch, CyclicBarrier start) {
    return () -> {
      start.await(1, TimeUnit.MINUTES);
      try {
        sink.append(batch);
        return true;
      } catch (AuditSinkException e) {
        assertThat(e).hasMessageContaining("another writer");
        return false;
      }
    };
  }

  /** {@code n} chained records of a log of its own, as entries a sink is handed. */
  private List<AuditEntry> chain(String who, int n) {
    List<AuditEntry> out = new ArrayList<>();
    try (var memory = new MemorySink(); AuditLog log = AuditLog.builder(memory, key).clock(clock).build()) {
      for (int i = 0; i < n; i++) {
        log.observe(denied(who + i));
      }
      out.addAll(memory.entries);
      log.close();
    }
    return out.subList(0, n);
  }

  private io.orchestrationplane.core.observe.PlaneRecord.Denied denied(String who) {
    return new io.orchestrationplane.core.observe.PlaneRecord.Denied(Instant.EPOCH, Subject.of(who), "shop.shop",
        List.of());
  }

  /** A readable sink in memory, to make entries for the race above. */
  private static final class MemorySink implements io.orchestrationplane.core.audit.AuditSink {
    final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public void append(List<AuditEntry> batch) {
      entries.addAll(batch);
    }

    @Override
    public void read(java.util.function.Consumer<String> into) {
      entries.forEach(e -> into.accept(e.toJson()));
    }

    @Override
    public boolean readable() {
      return true;
    }
  }

  // ---- a commit whose acknowledgement is lost

  @Test
  void aBatchCommittedButNotAcknowledgedIsRecognisedWhenTheLogRetriesIt() {
    AtomicBoolean loseNextCommit = new AtomicBoolean();
    DataSource flaky = losingCommits(Postgres.dataSource(), loseNextCommit);
    try (AuditLog audit = AuditLog.builder(sink(flaky), key).clock(clock).build()) {
      audit.observe(denied("one"));
      loseNextCommit.set(true);
      assertThatThrownBy(() -> audit.observe(denied("two"))).isInstanceOf(AuditSinkException.class)
          .hasMessageContaining("connection lost after commit");
      assertThat(rows()).hasSize(2); // the commit went through
      audit.observe(denied("three")); // retries "two" with "three": "two" is recognised, not written twice
      assertThat(rows()).hasSize(3);
      assertThat(audit.verify()).isInstanceOfSatisfying(AuditVerification.Intact.class,
          v -> assertThat(v.records()).isEqualTo(3));
    }
  }

  /** Connections whose commit, once armed, commits and then throws, like a connection lost before the reply. */
  private static DataSource losingCommits(DataSource real, AtomicBoolean armed) {
    return (DataSource) Proxy.newProxyInstance(JdbcAuditSinkIT.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection c = (Connection) result;
          return Proxy.newProxyInstance(JdbcAuditSinkIT.class.getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                Object r = invoke(c, m, a);
                if (m.getName().equals("commit") && armed.compareAndSet(true, false)) {
                  throw new SQLException("connection lost after commit", "08006");
                }
                return r;
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  // ---- schema

  @Test
  void theDdlIsIdempotentAndASinkWithoutTableCreationNeedsIt() {
    String other = Postgres.freshSchema();
    assertThatThrownBy(() -> JdbcAuditSink.builder(Postgres.dataSource()).schema(other).createTables(false).build())
        .isInstanceOf(AuditSinkException.class)
        .hasMessageContaining("cannot use audit table " + other + ".audit_log (run JdbcAuditSink.ddl() first")
        .hasMessageContaining("SQL state 42P01");
    List<String> ddl = JdbcAuditSink.ddl(other);
    for (int i = 0; i < 2; i++) {
      ddl.forEach(Postgres::execute);
    }
    try (JdbcAuditSink sink = JdbcAuditSink.builder(Postgres.dataSource()).schema(other).createTables(false).build()) {
      assertThat(sink.toString()).isEqualTo("JdbcAuditSink(table " + other + ".audit_log)");
      sink.append(chain("x", 1));
      assertThatThrownBy(() -> Postgres.execute("DELETE FROM " + other + ".audit_log"))
          .hasMessageContaining("append-only");
      sink.close();
      assertThatThrownBy(() -> sink.append(chain("y", 1))).isInstanceOf(AuditSinkException.class)
          .hasMessageContaining("closed");
    }
    assertThat(JdbcAuditSink.ddl()).noneMatch(s -> s.contains(other));
  }
}
