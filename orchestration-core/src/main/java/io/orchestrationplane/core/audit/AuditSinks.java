package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.JsonLinesAuditSink;
import io.orchestrationplane.core.audit.internal.Slf4jAuditSink;
import java.nio.file.Path;

/** The built-in {@link AuditSink}s. */
public final class AuditSinks {
  private AuditSinks() {}

  /**
   * An append-only JSON Lines file, created if missing: one entry per line, synced to disk once
   * per batch. Opening it checks its end: a last line without its line break (a write torn by a
   * crash, never acknowledged as durable) is cut off, with a WARN naming the bytes dropped, so that
   * the next entry starts on a line of its own and is never merged into it.
   *
   * @throws AuditSinkException when the file cannot be opened or repaired
   */
  public static AuditSink jsonLines(Path file) {
    return JsonLinesAuditSink.open(file);
  }

  /**
   * Each entry's JSON at INFO on the SLF4J logger {@code io.orchestrationplane.audit}: for log
   * shipping. Cannot be read back, so it is a copy ({@link AuditLog.Builder#copyTo}), not a store.
   */
  public static AuditSink slf4j() {
    return new Slf4jAuditSink("io.orchestrationplane.audit");
  }

  /** {@link #slf4j()} on a logger of another name. */
  public static AuditSink slf4j(String loggerName) {
    return new Slf4jAuditSink(loggerName);
  }
}
