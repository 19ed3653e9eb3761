package io.orchestrationplane.jdbc;

import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.DeleteResult;
import io.orchestrationplane.core.state.StateCodec;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.core.state.VersionConflict;
import io.orchestrationplane.jdbc.internal.Database;
import io.orchestrationplane.jdbc.internal.SqlNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * A {@link StateStore} in PostgreSQL (11 or newer), reached through a {@link DataSource} the
 * embedder supplies: this module brings no driver and opens no connections of its own. One row per
 * key in table {@code state}; every write takes its version from one sequence, {@code
 * state_version}, so versions never repeat, for a key or across keys, even after a delete.
 * Several processes (instances of the embedder's service) share one store by pointing at the same
 * database and schema: every write is a single conditional statement, so of concurrent writes
 * expecting one version exactly one succeeds, on any number of connections.
 *
 * <pre>{@code
 * StateStore store = JdbcStateStore.builder(dataSource)   // e.g. a HikariDataSource
 *     .schema("plane")                                    // default: the connection's search_path
 *     .build();                                           // creates schema, sequence and table if missing
 * OrchestrationPlane plane = OrchestrationPlane.builder().cluster(prod).stateStore(store).build();
 * }</pre>
 *
 * <h2>Schema</h2>
 * {@link #ddl(String)} lists the statements ({@code CREATE ... IF NOT EXISTS}), for a migration
 * tool or a DBA; {@link Builder#createTables(boolean) createTables} (on by default) runs them at
 * {@link Builder#build()} under a transaction-scoped advisory lock, so instances starting together
 * do not race. {@code build()} then checks that the table has the expected columns and that the
 * database encoding is UTF-8.
 * <pre>
 * CREATE SEQUENCE IF NOT EXISTS state_version AS bigint MINVALUE 1 NO CYCLE
 * CREATE TABLE IF NOT EXISTS state (
 *   namespace varchar(63)  COLLATE "C" NOT NULL,
 *   name      varchar(189) COLLATE "C" NOT NULL,
 *   version   bigint NOT NULL CHECK (version &gt; 0),
 *   value     text NOT NULL,             -- the compact JSON written by StateCodec
 *   digest    varchar(71) NOT NULL,      -- sha256:&lt;hex&gt; of value's UTF-8 bytes
 *   PRIMARY KEY (namespace, name))
 * </pre>
 *
 * <h2>Statements</h2>
 * create: {@code INSERT ... ON CONFLICT DO NOTHING RETURNING version}; compare-and-set: {@code
 * UPDATE ... SET version = nextval(...) WHERE namespace = ? AND name = ? AND version = ? AND digest
 * = <digest of the stored value>}; delete: {@code DELETE ... WHERE} the same; list: {@code WHERE
 * namespace = ? AND name LIKE 'prefix%' ORDER BY name COLLATE "C"} (one statement: a consistent
 * snapshot). A statement that changed no row is followed by a read of the key, which says whether
 * it was a conflict (and with which version) or damage.
 *
 * <h2>Damage</h2>
 * A row whose {@code value} does not match its {@code digest} (edited by hand, restored
 * half-way) or is not valid JSON is a {@link CorruptStateException} naming {@code table state,
 * key <namespace>/<name>}; the digest check is part of the write statements too, so a damaged row
 * is never overwritten or deleted. Other rows are not affected.
 *
 * <h2>Failures</h2>
 * A {@link SQLException} is a {@link StateStoreException} naming the operation, the SQL state and
 * the first line of the driver's message (later lines can quote row contents); after a failed
 * write the outcome is unknown: read the key again.
 *
 * <p>Thread-safe: each call borrows a connection of its own and gives it back. {@link #close()}
 * waits for calls in progress and does not close the {@code DataSource}, which the embedder owns.
 */
public final class JdbcStateStore implements StateStore {
  /** The table's name. */
  public static final String TABLE = "state";
  /** The sequence's name. */
  public static final String SEQUENCE = "state_version";

  // Any constant: a transaction-scoped advisory lock taken while creating the tables.
  private static final long DDL_LOCK = 0x6f70_7374_6174_6501L;
  private static final int MAX_CREATE_ATTEMPTS = 100;

  private final Database db;
  private final Config config;
  private final String table;
  private final String getSql;
  private final String listSql;
  private final String insertSql;
  private final String updateSql;
  private final String deleteSql;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  // Written under the lifecycle write lock, read under its read lock.
  private boolean closed;

  private JdbcStateStore(Database db, SqlNames names, Config config) {
    this.db = db;
    this.config = config;
    this.table = names.qualify(TABLE);
    String sequence = names.qualify(SEQUENCE);
    String storedDigest = "'sha256:' || encode(sha256(convert_to(value, 'UTF8')), 'hex')";
    this.getSql = "SELECT version, value, digest FROM " + table + " WHERE namespace = ? AND name = ?";
    this.listSql = "SELECT name, version, value, digest FROM " + table
        + " WHERE namespace = ? AND name LIKE ? ORDER BY name COLLATE \"C\"";
    this.insertSql = "INSERT INTO " + table + " (namespace, name, version, value, digest) VALUES (?, ?, nextval('"
        + sequence + "'), ?, ?) ON CONFLICT (namespace, name) DO NOTHING RETURNING version";
    this.updateSql = "UPDATE " + table + " SET version = nextval('" + sequence + "'), value = ?, digest = ?"
        + " WHERE namespace = ? AND name = ? AND version = ? AND digest = " + storedDigest + " RETURNING version";
    this.deleteSql = "DELETE FROM " + table + " WHERE namespace = ? AND name = ? AND version = ? AND digest = "
        + storedDigest;
  }

  /** A store over {@code dataSource} with the defaults: unqualified names, tables created if missing, {@link Config#defaults()}. */
  public static JdbcStateStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a store over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The statements that create the sequence and the table, unqualified (in the connection's {@code search_path}). */
  public static List<String> ddl() {
    return ddl(SqlNames.unqualified());
  }

  /**
   * The statements that create the schema, the sequence and the table in {@code schema}; each is
   * {@code IF NOT EXISTS}, so running them again changes nothing.
   *
   * @throws IllegalArgumentException when {@code schema} is not a lower-case unquoted identifier
   */
  public static List<String> ddl(String schema) {
    return ddl(SqlNames.inSchema(schema));
  }

  private static List<String> ddl(SqlNames names) {
    List<String> statements = new ArrayList<>();
    names.schema().ifPresent(s -> statements.add("CREATE SCHEMA IF NOT EXISTS " + s));
    statements.add("CREATE SEQUENCE IF NOT EXISTS " + names.qualify(SEQUENCE) + " AS bigint MINVALUE 1 NO CYCLE");
    statements.add("CREATE TABLE IF NOT EXISTS " + names.qualify(TABLE) + " ("
        + "namespace varchar(" + StateKey.MAX_NAMESPACE_LENGTH + ") COLLATE \"C\" NOT NULL, "
        + "name varchar(" + StateKey.MAX_NAME_LENGTH + ") COLLATE \"C\" NOT NULL, "
        + "version bigint NOT NULL CHECK (version > 0), "
        + "value text NOT NULL, "
        + "digest varchar(71) NOT NULL, "
        + "PRIMARY KEY (namespace, name))");
    return List.copyOf(statements);
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Optional<StateEntry> get(StateKey key) {
    Objects.requireNonNull(key, "key");
    return guarded(() -> db.run("read " + key + " from table " + table, false, false, c -> read(c, key)));
  }

  @Override
  public List<StateEntry> list(String namespace, String namePrefix) {
    StateKey.checkNamespace(namespace);
    StateKey.checkNamePrefix(namePrefix);
    // The prefix holds only [-a-z0-9.]: no LIKE wildcard or escape character to quote.
    return guarded(() -> db.run("list state namespace '" + namespace + "' in table " + table, false, false, c -> {
      try (PreparedStatement s = c.prepareStatement(listSql)) {
        s.setString(1, namespace);
        s.setString(2, namePrefix + "%");
        List<StateEntry> entries = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            StateKey key = new StateKey(namespace, rs.getString(1));
            entries.add(entry(key, rs.getLong(2), rs.getString(3), rs.getString(4)));
          }
        }
        return List.copyOf(entries);
      }
    }));
  }

  @Override
  public StateWriteResult compareAndSet(StateKey key, long expectedVersion, JsonNode value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 0 (StateStore.ABSENT for a "
          + "key that should not exist), was " + expectedVersion);
    }
    byte[] encoded = StateCodec.encode(key, value, config.maxValueBytes());
    String text = new String(encoded, StandardCharsets.UTF_8);
    String digest = digest(encoded);
    return guarded(() -> db.run("write " + key + " to table " + table, false, true, c ->
        expectedVersion == ABSENT ? insert(c, key, text, digest) : update(c, key, expectedVersion, text, digest)));
  }

  @Override
  public DeleteResult delete(StateKey key, long expectedVersion) {
    Objects.requireNonNull(key, "key");
    if (expectedVersion < 1) {
      throw new IllegalArgumentException("expected version of " + key + " must be >= 1 (the version read), was "
          + expectedVersion);
    }
    return guarded(() -> db.run("delete " + key + " from table " + table, false, true, c -> {
      try (PreparedStatement s = c.prepareStatement(deleteSql)) {
        s.setString(1, key.namespace());
        s.setString(2, key.name());
        s.setLong(3, expectedVersion);
        if (s.executeUpdate() == 1) {
          return new DeleteResult.Deleted(key, expectedVersion);
        }
      }
      return conflict(c, key, expectedVersion);
    }));
  }

  /**
   * Marks the store closed once calls in progress have finished; calls afterwards throw {@link
   * IllegalStateException}. The {@code DataSource} stays open: it belongs to the embedder.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "JdbcStateStore(table " + table + ")";
  }

  private StateWriteResult insert(Connection c, StateKey key, String text, String digest) throws SQLException {
    // A conflicting row can be deleted between the INSERT and the read that reports it: insert again then.
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      try (PreparedStatement s = c.prepareStatement(insertSql)) {
        s.setString(1, key.namespace());
        s.setString(2, key.name());
        s.setString(3, text);
        s.setString(4, digest);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            return new StateWriteResult.Written(key, rs.getLong(1));
          }
        }
      }
      Optional<StateEntry> current = read(c, key);
      if (current.isPresent()) {
        return new VersionConflict(key, ABSENT, current.get().version());
      }
    }
    throw new StateStoreException("cannot create " + key + " in table " + table + ": it was created and deleted again "
        + MAX_CREATE_ATTEMPTS + " times while this create ran; nothing was written");
  }

  private StateWriteResult update(Connection c, StateKey key, long expectedVersion, String text, String digest)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(updateSql)) {
      s.setString(1, text);
      s.setString(2, digest);
      s.setString(3, key.namespace());
      s.setString(4, key.name());
      s.setLong(5, expectedVersion);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          return new StateWriteResult.Written(key, rs.getLong(1));
        }
      }
    }
    return conflict(c, key, expectedVersion);
  }

  /** After a conditional write changed no row: the conflict it was, or the damage that stopped it. */
  private VersionConflict conflict(Connection c, StateKey key, long expectedVersion) throws SQLException {
    long current = read(c, key).map(StateEntry::version).orElse(ABSENT); // damage throws here
    if (current == expectedVersion) {
      // Readable, at the expected version, yet the statement did not match: the database's digest
      // of the value differs from ours (a database encoding other than UTF-8).
      throw new StateStoreException("cannot write " + key + " in table " + table + ": the row is at the expected "
          + "version " + expectedVersion + " but the database computes another digest of its value; is the "
          + "database encoding UTF8?");
    }
    return new VersionConflict(key, expectedVersion, current);
  }

  private Optional<StateEntry> read(Connection c, StateKey key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(getSql)) {
      s.setString(1, key.namespace());
      s.setString(2, key.name());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(entry(key, rs.getLong(1), rs.getString(2), rs.getString(3)));
      }
    }
  }

  private StateEntry entry(StateKey key, long version, String value, String digest) {
    String location = "table " + table + ", key " + key;
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (!digest(bytes).equals(digest)) {
      throw StateCodec.corrupt(key, location, "does not match its digest (the value was changed outside the state "
          + "store, or damaged)", null);
    }
    if (version < 1) {
      throw StateCodec.corrupt(key, location, "has version " + version + ", not a positive number", null);
    }
    return new StateEntry(key, version, StateCodec.decode(bytes, key, location));
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private <T> T guarded(java.util.function.Supplier<T> call) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the JDBC state store over table " + table + " is closed");
      }
      return call.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void prepare(boolean createTables, SqlNames names) {
    if (createTables) {
      db.run("create the state tables (" + table + ")", true, false, c -> {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
          for (String ddl : ddl(names)) {
            s.execute(ddl);
          }
        }
        return null;
      });
    }
    db.run("use table " + table + " (run JdbcStateStore.ddl() first, or let the store create it)", false, false, c -> {
      try (Statement s = c.createStatement()) {
        s.executeQuery("SELECT namespace, name, version, value, digest FROM " + table + " WHERE false").close();
        try (ResultSet rs = s.executeQuery("SHOW server_encoding")) {
          String encoding = rs.next() ? rs.getString(1) : "";
          if (!"UTF8".equalsIgnoreCase(encoding)) {
            throw new StateStoreException("cannot use table " + table + ": the database encoding is " + encoding
                + ", not UTF8; state values are UTF-8 JSON");
          }
        }
      }
      return null;
    });
  }

  /** Builds a {@link JdbcStateStore}; each setter checks its value at once. */
  public static final class Builder {
    private final DataSource dataSource;
    private SqlNames names = SqlNames.unqualified();
    private Config config = Config.defaults();
    private boolean createTables = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The schema holding the table and the sequence (created if missing, with the tables); default:
     * none, names resolve through the connection's {@code search_path}.
     *
     * @throws IllegalArgumentException unless 1-63 lower-case letters, digits and {@code _}, not starting with a digit
     */
    public Builder schema(String schema) {
      this.names = SqlNames.inSchema(schema);
      return this;
    }

    /** The store's limits; default {@link Config#defaults()}. */
    public Builder config(Config config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Whether {@link #build()} runs {@link JdbcStateStore#ddl} (default {@code true}); turn it off
     * when a migration tool owns the schema and the plane's database user may not create tables.
     */
    public Builder createTables(boolean createTables) {
      this.createTables = createTables;
      return this;
    }

    /**
     * The store, after creating the tables (unless turned off) and checking the table's columns and
     * the database encoding.
     *
     * @throws StateStoreException when the database cannot be reached, the table is missing or has
     *     other columns, or the encoding is not UTF-8
     */
    public JdbcStateStore build() {
      JdbcStateStore store = new JdbcStateStore(new Database(dataSource), names, config);
      store.prepare(createTables, names);
      return store;
    }
  }
}
