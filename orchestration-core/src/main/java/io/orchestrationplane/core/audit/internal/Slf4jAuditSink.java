package io.orchestrationplane.core.audit.internal;

import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each entry's JSON at INFO. Thread-safe (as SLF4J is). */
public final class Slf4jAuditSink implements AuditSink {
  private final Logger log;

  public Slf4jAuditSink(String loggerName) {
    this.log = LoggerFactory.getLogger(loggerName);
  }

  @Override
  public void append(List<AuditEntry> batch) {
    for (AuditEntry e : batch) {
      log.info("{}", e.toJson());
    }
  }

  @Override
  public String toString() {
    return "AuditSinks.slf4j(" + log.getName() + ")";
  }
}
