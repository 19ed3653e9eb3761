package io.orchestrationplane.testkit.faults;

/** The calls of a {@link io.orchestrationplane.core.cluster.ClusterDriver} that a {@link FaultyCluster} can fail. */
public enum Operation {
  GET, LIST, APPLY, UPDATE_STATUS, DELETE;

  /** True for the calls that write. */
  public boolean isWrite() {
    return this == APPLY || this == UPDATE_STATUS || this == DELETE;
  }
}
