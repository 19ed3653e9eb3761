package io.orchestrationplane.jdbc;

import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditSink;
import io.orchestrationplane.core.audit.AuditSinkException;
import io.orchestrationplane.jdbc.internal.Database;
import io.orchestrationplane.jdbc.internal.SqlNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditSink} in a PostgreSQL (11 or newer) table, for teams that keep audit in their
 * database, reached through a {@link DataSource} the embedder supplies (this module brings no
 * driver). One row per entry: its sequence number in the table (1, 2, 3...) and the exact JSON
 * line {@link AuditEntry#toJson()} wrote, as text, so that {@link AuditLog#verify()} checks what
 * was stored byte for byte.
 *
 * <pre>{@code
 * AuditLog audit = AuditLog.builder(JdbcAuditSink.builder(dataSource).schema("plane").build(), key).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().observer(audit)...build();
 * }</pre>
 *
 * <h2>Schema</h2>
 * {@link #ddl(String)} lists the statements, each idempotent, for a migration tool or a DBA;
 * {@link Builder#createTables(boolean) createTables} (on by default) runs them at {@link
 * Builder#build()} in one transaction under an advisory lock. {@code build()} then checks the
 * table's columns and that the database encoding is UTF-8.
 * <pre>
 * CREATE TABLE IF NOT EXISTS audit_log (
 *   seq   bigint PRIMARY KEY CHECK (seq &gt; 0),   -- 1, 2, 3... in append order, given by the sink
 *   entry text NOT NULL)                       -- the entry's JSON line, exactly
 * CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger ... RAISE EXCEPTION ...
 * triggers audit_log_no_update_delete (BEFORE UPDATE OR DELETE, each row) and
 *          audit_log_no_truncate (BEFORE TRUNCATE) executing it
 * </pre>
 *
 * <h2>Append-only</h2>
 * The triggers refuse every {@code UPDATE}, {@code DELETE} and {@code TRUNCATE} on the table,
 * for any role, superusers included, with SQL state {@code 42501} and a message naming the
 * table. They stop mistakes and ordinary roles; they do not stop the table's owner or a superuser
 * (who can disable triggers, or set {@code session_replication_role = replica}). So, as well: let
 * the plane connect as a role that does not own the table and holds only {@code SELECT, INSERT}
 * on it ({@code REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ...}); and rely on the hash
 * chain and the signed checkpoints for the rest: an edit that gets past both is named by {@link
 * AuditLog#verify()}.
 *
 * <h2>One writer</h2>
 * An audit log's chain has one writer: the {@link AuditLog} holds the chain's head and numbers
 * records itself. The sink takes the table's end when it is built, and every batch is inserted
 * at the sequence numbers right after what this sink knows of, in one transaction. When another
 * writer (a second {@code AuditLog}, in this process or another, over the same table) has
 * appended meanwhile, the rows are taken: the batch is refused with an {@link
 * AuditSinkException} saying so, nothing of it is stored, and the chain in the table stays the
 * first writer's, whole. Give each instance of a service its own table (or schema), or a single
 * audit writer. A batch whose commit succeeded but whose acknowledgement was lost (the
 * connection broke) is recognised when the log retries it: rows holding exactly its entries
 * count as stored.
 *
 * <h2>Reading</h2>
 * {@link #read} runs one {@code SELECT ... ORDER BY seq} (a consistent snapshot: committed
 * batches only, never part of one), fetching rows in pages, so that verifying a million entries
 * does not hold them all in memory. {@link AuditLog#verify()}'s "line" is the position in that
 * order, from 1: the row's {@code seq} unless rows before it were deleted.
 *
 * <p>Failures are {@link AuditSinkException}s naming the table, the SQL state and the first line
 * of the driver's message (never a row's content). Thread-safe; {@link #close()} does not close
 * the {@code DataSource}, which the embedder owns.
 */
public final class JdbcAuditSink implements AuditSink {
  /** The default table name. */
  public static final String TABLE = "audit_log";

  // Any constant: a transaction-scoped advisory lock taken while creating the table.
  private static final long DDL_LOCK = 0x6f70_6175_6469_7401L;
  private static final int FETCH_SIZE = 1000;

  private final Database db;
  private final String table;
  private final String insertSql;
  private final String afterSql;
  private final String readSql;
  // Guarded by this: the sequence number of the last row this sink knows of, and whether it is closed.
  private long last;
  private boolean closed;

  private JdbcAuditSink(Database db, SqlNames names) {
    this.db = db;
    this.table = names.qualify(TABLE);
    this.insertSql = "INSERT INTO " + table + " (seq, entry) VALUES (?, ?)";
    this.afterSql = "SELECT seq, entry FROM " + table + " WHERE seq > ? ORDER BY seq LIMIT ?";
    this.readSql = "SELECT entry FROM " + table + " ORDER BY seq";
  }

  /** A sink over {@code dataSource} with the defaults: unqualified names, the table created if missing. */
  public static JdbcAuditSink create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a sink over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The statements that create the table, its function and triggers, unqualified (in the connection's {@code search_path}). */
  public static List<String> ddl() {
    return ddl(SqlNames.unqualified());
  }

  /**
   * The statements that create the schema, the table, the append-only function and its triggers in
   * {@code schema}; running them again changes nothing. Run them in one transaction.
   *
   * @throws IllegalArgumentException when {@code schema} is not a lower-case unquoted identifier
   */
  public static List<String> ddl(String schema) {
    return ddl(SqlNames.inSchema(schema));
  }

  private static List<String> ddl(SqlNames names) {
    String table = names.qualify(TABLE);
    String function = names.qualify(TABLE + "_append_only");
    String regclass = "'" + table + "'::regclass";
    List<String> statements = new ArrayList<>();
    names.schema().ifPresent(s -> statements.add("CREATE SCHEMA IF NOT EXISTS " + s));
    statements.add("CREATE TABLE IF NOT EXISTS " + table + " (seq bigint PRIMARY KEY CHECK (seq > 0), "
        + "entry text NOT NULL)");
    statements.add("CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "RAISE EXCEPTION 'audit table %.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP "
        + "USING ERRCODE = 'insufficient_privilege'; END $$");
    statements.add(trigger(regclass, TABLE + "_no_update_delete", "BEFORE UPDATE OR DELETE ON " + table
        + " FOR EACH ROW EXECUTE FUNCTION " + function + "()"));
    statements.add(trigger(regclass, TABLE + "_no_truncate", "BEFORE TRUNCATE ON " + table
        + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "()"));
    return List.copyOf(statements);
  }

  /** CREATE TRIGGER unless it exists (CREATE OR REPLACE TRIGGER needs PostgreSQL 14). */
  private static String trigger(String regclass, String name, String definition) {
    return "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = " + regclass + " AND tgname = '"
        + name + "') THEN CREATE TRIGGER " + name + " " + definition + "; END IF; END $$";
  }

  @Override
  public void append(List<AuditEntry> batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>(batch.size());
    for (AuditEntry e : batch) {
      lines.add(e.toJson());
    }
    synchronized (this) {
      if (closed) {
        throw new AuditSinkException(this + " is closed");
      }
      long from = last;
      db.run("append " + lines.size() + " audit entries to table " + table + " after row " + from, true,
          "; nothing of the batch is stored unless its commit went through (a retry of the batch recognises it)",
          this::failure, c -> {
            int stored = alreadyStored(c, from, lines);
            if (stored < lines.size()) {
              try (PreparedStatement s = c.prepareStatement(insertSql)) {
                for (int i = stored; i < lines.size(); i++) {
                  s.setLong(1, from + 1 + i);
                  s.setString(2, lines.get(i));
                  s.addBatch();
                }
                s.executeBatch();
              }
            }
            return null;
          });
      last = from + lines.size();
    }
  }

  /**
   * How many of {@code lines} the rows after {@code from} already hold (a commit whose
   * acknowledgement was lost); a row there that holds something else is another writer's.
   */
  private int alreadyStored(Connection c, long from, List<String> lines) throws SQLException {
    int matched = 0;
    try (PreparedStatement s = c.prepareStatement(afterSql)) {
      s.setLong(1, from);
      s.setInt(2, lines.size());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          if (seq != from + 1 + matched || !rs.getString(2).equals(lines.get(matched))) {
            throw anotherWriter(from + 1 + matched, null);
          }
          matched++;
        }
      }
    }
    return matched;
  }

  private RuntimeException failure(String message, SQLException cause) {
    if ("23505".equals(cause.getSQLState())) { // unique_violation: a row was inserted at our seq meanwhile
      return anotherWriter(-1, cause);
    }
    return new AuditSinkException(message, cause);
  }

  private AuditSinkException anotherWriter(long seq, @Nullable SQLException cause) {
    String where = seq > 0 ? "row " + seq + " of audit table " + table + " holds another entry"
        : "rows after " + last + " of audit table " + table + " were inserted while this batch was appended";
    String message = where + ": another writer (a second AuditLog over the same table, in this process or "
        + "another) appends to it, and an audit chain has one writer; nothing of this batch was stored, and this "
        + "log cannot continue: give each writer its own table or schema";
    return cause == null ? new AuditSinkException(message) : new AuditSinkException(message, cause);
  }

  @Override
  public void read(Consumer<String> into) {
    Objects.requireNonNull(into, "into");
    // A transaction: PostgreSQL's driver fetches in pages (setFetchSize) only with auto-commit off.
    db.run("read audit table " + table, true, "", AuditSinkException::new, c -> {
      try (PreparedStatement s = c.prepareStatement(readSql)) {
        s.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            into.accept(rs.getString(1));
          }
        }
      }
      return null;
    });
  }

  @Override
  public boolean readable() {
    return true;
  }

  /** Appends afterwards fail; the {@code DataSource} stays open: it belongs to the embedder. */
  @Override
  public synchronized void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "JdbcAuditSink(table " + table + ")";
  }

  private void prepare(boolean createTables, SqlNames names) {
    if (createTables) {
      db.run("create the audit table " + table, true, "", AuditSinkException::new, c -> {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
          for (String ddl : ddl(names)) {
            s.execute(ddl);
          }
        }
        return null;
      });
    }
    last = db.run("use audit table " + table + " (run JdbcAuditSink.ddl() first, or let the sink create it)", false,
        "", AuditSinkException::new, c -> {
          try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW server_encoding")) {
              String encoding = rs.next() ? rs.getString(1) : "";
              if (!"UTF8".equalsIgnoreCase(encoding)) {
                throw new AuditSinkException("cannot use audit table " + table + ": the database encoding is "
                    + encoding + ", not UTF8; audit entries are UTF-8 JSON");
              }
            }
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM " + table
                + " WHERE entry IS NOT NULL")) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Builds a {@link JdbcAuditSink}; each setter checks its value at once. */
  public static final class Builder {
    private final DataSource dataSource;
    private SqlNames names = SqlNames.unqualified();
    private boolean createTables = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The schema holding the table (created if missing, with the table); default: none, names
     * resolve through the connection's {@code search_path}.
     *
     * @throws IllegalArgumentException unless 1-63 lower-case letters, digits and {@code _}, not starting with a digit
     */
    public Builder schema(String schema) {
      this.names = SqlNames.inSchema(schema);
      return this;
    }

    /**
     * Whether {@link #build()} runs {@link JdbcAuditSink#ddl} (default {@code true}); turn it off
     * when a migration tool owns the schema and the plane's database role may only read and insert.
     */
    public Builder createTables(boolean createTables) {
      this.createTables = createTables;
      return this;
    }

    /**
     * The sink, after creating the table (unless turned off), checking its columns and the
     * database encoding, and taking the table's end: the sink appends after it.
     *
     * @throws AuditSinkException when the database cannot be reached, the table is missing or has
     *     other columns, or the encoding is not UTF-8
     */
    public JdbcAuditSink build() {
      JdbcAuditSink sink = new JdbcAuditSink(new Database(dataSource), names);
      synchronized (sink) {
        sink.prepare(createTables, names);
      }
      return sink;
    }
  }
}
