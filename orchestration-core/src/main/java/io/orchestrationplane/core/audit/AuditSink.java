package io.orchestrationplane.core.audit;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where an {@link AuditLog} keeps its entries: the SPI for audit storage (a file, a logger, a
 * database table). The log calls {@link #append} from one thread at a time, with the entries of
 * one batch in order; {@link #read} hands back what was appended, in order, as the texts of
 * {@link AuditEntry#toJson()}, so that a verifier sees exactly what was stored.
 *
 * <p>An implementation must:
 * <ul>
 *   <li>make a batch durable before {@link #append} returns (the file sink syncs once per batch);</li>
 *   <li>never change or reorder what it stored; keep entries in append order;</li>
 *   <li>on failure throw {@link AuditSinkException} and keep nothing of the failed batch, or keep
 *       a prefix of it only when {@link #read} shows that prefix (the log then resumes after what
 *       it reads back); partial lines and half-written rows must never be read back as entries.</li>
 * </ul>
 * The JDBC sink ({@code JdbcAuditSink} in orchestration-jdbc) stores each entry's JSON in a text
 * column numbered in append order, one transaction per batch. {@link AuditSinks} has the
 * built-in ones.
 */
public interface AuditSink extends AutoCloseable {

  /** Stores {@code batch}, durably, after everything stored before. */
  void append(List<AuditEntry> batch);

  /**
   * Hands every stored entry to {@code into}, in append order, as the JSON text stored. A sink
   * that cannot be read back (a logger) answers false from {@link #readable()} and throws {@link
   * UnsupportedOperationException} here; such a sink can only be a copy, never the log's store.
   */
  default void read(Consumer<String> into) {
    throw new UnsupportedOperationException(this + " cannot be read back");
  }

  /** True when {@link #read} works. */
  default boolean readable() {
    return false;
  }

  /** Releases the sink's resources; appends after it fail. */
  @Override
  default void close() {}
}
