package io.orchestrationplane.delivery.analysis;

/** A provider could not measure: unreachable, timed out, or answered with an error. Counts as an ERROR measurement. */
public final class MetricProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetricProviderException(String message) {
    super(message);
  }

  public MetricProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
