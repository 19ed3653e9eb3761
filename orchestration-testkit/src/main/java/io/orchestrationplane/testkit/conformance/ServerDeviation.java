package io.orchestrationplane.testkit.conformance;

/**
 * A way the server behind a driver is known to differ from a Kubernetes API server, which no
 * driver can make up for. A {@link ClusterDriverConformance} subclass declares the deviations of
 * its server in {@link ClusterDriverConformance#serverDeviations()}; the tests that depend on the
 * behaviour are then skipped with the deviation's description, and run for every other driver.
 */
public enum ServerDeviation {
  /**
   * A status write ({@code PUT …/status}) carrying a stale resourceVersion is accepted instead of
   * refused with 409 Conflict (kubernetes-mock-server 8.0). A driver that sends the version, as it
   * should, cannot tell.
   */
  STATUS_WRITE_IGNORES_RESOURCE_VERSION(
      "the server accepts a status write carrying a stale resourceVersion (an API server answers 409 Conflict)"),

  /**
   * A {@code PUT} of an object replaces its status too (kubernetes-mock-server 8.0), where an API
   * server keeps the status of kinds with a status subresource and changes it only through
   * {@code …/status}.
   */
  UPDATE_REPLACES_STATUS(
      "a PUT of the object replaces its status (an API server keeps the status of kinds with a status subresource)");

  private final String description;

  ServerDeviation(String description) {
    this.description = description;
  }

  /** What the server does differently, for the message of a skipped test. */
  public String description() {
    return description;
  }
}
