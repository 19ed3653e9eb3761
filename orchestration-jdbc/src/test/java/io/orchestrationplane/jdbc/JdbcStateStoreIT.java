package io.orchestrationplane.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.state.VersionConflict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;

/**
 * What the JDBC store promises beyond the contract: the rows and the schema it keeps, the
 * sequence behind versions, damage named by table and key, stores in several "processes" (store
 * instances with connections of their own) racing on one key, and database failures.
 */
class JdbcStateStoreIT {
  private static final StateKey SHOP = StateKey.of("workflows", "shop.release");
  private final String schema = Postgres.freshSchema();
  private final List<StateStore> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(StateStore::close);
  }

  private JdbcStateStore store() {
    JdbcStateStore store = JdbcStateStore.builder(Postgres.dataSource()).schema(schema).build();
    opened.add(store);
    return store;
  }

  private static JsonNode step(String step) {
    return Json.object().put("step", step);
  }

  private static long written(StateWriteResult r) {
    assertThat(r).isInstanceOf(StateWriteResult.Written.class);
    return ((StateWriteResult.Written) r).version();
  }

  private <T> T query(String sql, ResultReader<T> reader) {
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

  // ---- layout

  @Test
  void eachKeyIsOneRowWithTheCompactJsonItsDigestAndAVersionFromTheSequence() {
    StateStore store = store();
    long v = written(store.create(SHOP, step("approve")));

    List<String> row = query("SELECT namespace, name, version, value, digest FROM " + schema + ".state", rs -> {
      assertThat(rs.next()).isTrue();
      List<String> r = List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
      assertThat(rs.next()).isFalse();
      return r;
    });
    assertThat(row.subList(0, 4)).containsExactly("workflows", "shop.release", Long.toString(v), "{\"step\":\"approve\"}");
    assertThat(row.get(4)).matches("sha256:[0-9a-f]{64}");
    long sequence = query("SELECT last_value FROM " + schema + ".state_version", rs -> {
      rs.next();
      return rs.getLong(1);
    });
    assertThat(sequence).isEqualTo(v);
    // a person can read it with psql: the value is JSON text, castable to jsonb
    String step = query("SELECT value::jsonb ->> 'step' FROM " + schema + ".state", rs -> {
      rs.next();
      return rs.getString(1);
    });
    assertThat(step).isEqualTo("approve");
  }

  @Test
  void theDdlIsIdempotentAndAStoreWithoutTablesCreationNeedsThem() {
    String other = Postgres.freshSchema();
    assertThatThrownBy(() -> JdbcStateStore.builder(Postgres.dataSource()).schema(other).createTables(false).build())
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("cannot use table " + other + ".state (run JdbcStateStore.ddl() first")
        .hasMessageContaining("SQL state 42P01"); // relation does not exist

    List<String> ddl = JdbcStateStore.ddl(other);
    assertThat(ddl).hasSize(3).allMatch(s -> s.contains("IF NOT EXISTS"));
    for (int i = 0; i < 2; i++) {
      ddl.forEach(Postgres::execute);
    }
    try (JdbcStateStore store = JdbcStateStore.builder(Postgres.dataSource()).schema(other).createTables(false).build()) {
      assertThat(store.create(SHOP, step("x")).written()).isTrue();
      assertThat(store.toString()).isEqualTo("JdbcStateStore(table " + other + ".state)");
    }
    assertThat(JdbcStateStore.ddl()).last().asString().startsWith("CREATE TABLE IF NOT EXISTS state (");
  }

  @Test
  void aSchemaNameMustBeAPlainIdentifier() {
    assertThatThrownBy(() -> JdbcStateStore.builder(Postgres.dataSource()).schema("plane; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema 'plane; DROP TABLE x' is not valid");
    assertThatThrownBy(() -> JdbcStateStore.ddl("Plane")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcStateStore.ddl("9lives")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storesOnTheSameSchemaSeeEachOthersWritesAndVersionsNeverRepeatAcrossKeys() {
    StateStore a = store();
    StateStore b = store();
    long v1 = written(a.create(SHOP, step("apply-dev")));
    assertThat(b.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v1, step("apply-dev")));
    long other = written(b.create(StateKey.of("revisions", "x"), step("y")));
    long v2 = written(b.compareAndSet(SHOP, v1, step("approve")));

    assertThat(a.compareAndSet(SHOP, v1, step("lost update"))).isEqualTo(new VersionConflict(SHOP, v1, v2));
    assertThat(new HashSet<>(List.of(v1, other, v2))).hasSize(3);
  }

  // ---- damage

  @Test
  void aValueEditedBehindTheStoresBackIsDamageNamingTableAndKeyAndIsNeverOverwritten() {
    StateStore store = store();
    long v = written(store.create(SHOP, step("approve")));
    Postgres.execute("UPDATE " + schema + ".state SET value = '{\"step\":\"skip the approval\"}'");

    String location = "table " + schema + ".state, key workflows/shop.release";
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOfSatisfying(CorruptStateException.class, e -> {
      assertThat(e.location()).isEqualTo(location);
      assertThat(e.key()).contains(SHOP);
    }).hasMessageContaining("stored state of workflows/shop.release at " + location + " does not match its digest")
        .hasMessageNotContaining("skip the approval");
    assertThatThrownBy(() -> store.compareAndSet(SHOP, v, step("next"))).isInstanceOf(CorruptStateException.class);
    assertThatThrownBy(() -> store.delete(SHOP, v)).isInstanceOf(CorruptStateException.class);
    String value = query("SELECT value FROM " + schema + ".state", rs -> {
      rs.next();
      return rs.getString(1);
    });
    assertThat(value).isEqualTo("{\"step\":\"skip the approval\"}");
  }

  @Test
  void aRowWhoseDigestMatchesButIsNotJsonIsDamageWithTheColumn() {
    StateStore store = store();
    store.create(SHOP, step("approve"));
    Postgres.execute("UPDATE " + schema + ".state SET value = '{\"step\":', digest = 'sha256:' || "
        + "encode(sha256(convert_to('{\"step\":', 'UTF8')), 'hex')");

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("at table " + schema + ".state, key workflows/shop.release is not valid")
        .hasMessageContaining("column");
    assertThatThrownBy(() -> store.list("workflows")).isInstanceOf(CorruptStateException.class);
  }

  // ---- concurrency across instances

  @Test
  void storesInSeveralInstancesRacingOnOneKeyHaveExactlyOneWinnerPerVersion() throws Exception {
    int instances = 6;
    int rounds = 5;
    List<StateStore> stores = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      stores.add(store());
    }
    long version = written(stores.get(0).create(SHOP, Json.object().put("round", 0)));
    Set<Long> versions = new HashSet<>(List.of(version));
    for (int round = 1; round <= rounds; round++) {
      long from = version;
      int r = round;
      List<StateWriteResult> results = race(instances,
          i -> stores.get(i).compareAndSet(SHOP, from, Json.object().put("round", r).put("writer", i)));

      List<StateWriteResult> wins = results.stream().filter(StateWriteResult::written).toList();
      assertThat(wins).as("round %d", round).hasSize(1);
      version = ((StateWriteResult.Written) wins.get(0)).version();
      long winnerVersion = version;
      assertThat(results).filteredOn(x -> !x.written())
          .allSatisfy(x -> assertThat(x).isEqualTo(new VersionConflict(SHOP, from, winnerVersion)));
      assertThat(stores.get(round % instances).get(SHOP).orElseThrow().value())
          .isEqualTo(Json.object().put("round", r).put("writer", results.indexOf(wins.get(0))));
      assertThat(versions.add(version)).as("a version of its own").isTrue();
    }
  }

  // ---- failures

  @Test
  void anUnreachableDatabaseIsAStateStoreExceptionNamingTheOperation() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setServerNames(new String[] {"127.0.0.1"});
    nowhere.setPortNumbers(new int[] {1}); // nothing listens on port 1
    nowhere.setConnectTimeout(5);

    assertThatThrownBy(() -> JdbcStateStore.create(nowhere)).isInstanceOf(StateStoreException.class)
        .hasMessageContaining("cannot create the state tables (state): SQL state 08001");
  }

  @Test
  void aFailedWriteSaysItsOutcomeIsUnknown() {
    StateStore store = store();
    long v = written(store.create(SHOP, step("approve")));
    Postgres.execute("ALTER TABLE " + schema + ".state ADD CONSTRAINT short_values CHECK (length(value) < 30)");

    assertThatThrownBy(() -> store.compareAndSet(SHOP, v, step("a value longer than thirty characters")))
        .isInstanceOf(StateStoreException.class)
        .isNotInstanceOf(CorruptStateException.class)
        .hasMessageContaining("cannot write workflows/shop.release to table " + schema + ".state: SQL state 23514")
        .hasMessageContaining("the write may or may not have happened: read the key again")
        .hasMessageNotContaining("thirty");
    assertThat(store.get(SHOP).orElseThrow().version()).isEqualTo(v);
  }

  @Test
  void aClosedStoreRefusesCallsAndLeavesTheDataSourceOpen() {
    JdbcStateStore store = store();
    store.create(SHOP, step("x"));
    store.close();
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    try (JdbcStateStore again = store()) {
      assertThat(again.get(SHOP)).isPresent();
    }
  }

  /** Runs {@code op(0..n-1)} on n threads released together; results in index order. */
  private static <T> List<T> race(int n, java.util.function.IntFunction<T> op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CyclicBarrier start = new CyclicBarrier(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> task = () -> {
          start.await(1, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
          return op.apply(index);
        };
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
