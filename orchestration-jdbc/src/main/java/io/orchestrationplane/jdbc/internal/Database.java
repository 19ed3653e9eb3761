package io.orchestrationplane.jdbc.internal;

import io.orchestrationplane.core.state.StateStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs work on a connection borrowed from the embedder's {@link DataSource} and gives it back.
 * Each call is one transaction: with a connection in auto-commit mode a single statement commits
 * by itself; otherwise (a pool handing out connections with auto-commit off) the work is committed
 * here, and rolled back when it throws. The connection's auto-commit setting is restored before it
 * goes back to the pool.
 */
public final class Database {
  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work; a {@link SQLException} becomes the caller's exception ({@link StateStoreException} by default). */
    T run(Connection connection) throws SQLException;
  }

  /** Makes the exception a failed call throws, from its message and the driver's exception. */
  @FunctionalInterface
  public interface Failure {
    /** The exception to throw for {@code message}, caused by {@code cause}. */
    RuntimeException of(String message, SQLException cause);
  }

  private final DataSource dataSource;

  /** Work on connections of {@code dataSource}. */
  public Database(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Runs {@code work} as one statement or one transaction ({@code transaction}: auto-commit off for
   * its duration, committed at the end).
   *
   * @param what what the work does, for the message of a failure ("write workflows/shop to table state")
   * @param unknownOutcome whether a failure leaves the outcome unknown (a write), said in the message
   * @throws StateStoreException when the database fails, naming {@code what}, the SQL state and the driver's message
   */
  public <T> T run(String what, boolean transaction, boolean unknownOutcome, Work<T> work) {
    return run(what, transaction, unknownOutcome ? "; the write may or may not have happened: read the key again" : "",
        StateStoreException::new, work);
  }

  /**
   * {@link #run(String, boolean, boolean, Work)} for another component: a failure is {@code
   * failure}'s exception, with the message {@code cannot <what>: <SQL state and driver message><suffix>}.
   */
  public <T> T run(String what, boolean transaction, String suffix, Failure failure, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      boolean explicit = transaction || !autoCommit;
      if (transaction && autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        T result = work.run(c);
        if (explicit) {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        if (explicit) {
          rollbackQuietly(c, e);
        }
        throw e;
      } finally {
        if (transaction && autoCommit) {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw failure.of("cannot " + what + ": " + describe(e) + suffix, e);
    }
  }

  /** {@code SQL state 40001: message}, the first line of the driver's message (details can quote rows). */
  public static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    return (e.getSQLState() == null ? "" : "SQL state " + e.getSQLState() + ": ") + message;
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
