package io.orchestrationplane.core.audit;

/** An {@link AuditSink} could not store or read entries; the message says which sink and why. */
public class AuditSinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditSinkException(String message, Throwable cause) {
    super(message, cause);
  }

  public AuditSinkException(String message) {
    super(message);
  }
}
