package io.orchestrationplane.policy;

/** The admission operation of an {@link AdmissionRequest}, as Kubernetes names it. */
public enum Operation {
  CREATE, UPDATE, DELETE, CONNECT;

  /** Parses {@code CREATE}/{@code create}; throws {@link IllegalArgumentException} naming the value. */
  public static Operation parse(String value) {
    for (Operation o : values()) {
      if (o.name().equalsIgnoreCase(value)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + value
        + "' (expected CREATE, UPDATE, DELETE or CONNECT)");
  }
}
