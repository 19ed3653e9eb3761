package io.orchestrationplane.k8s;

import io.orchestrationplane.core.resource.GroupKind;
import java.util.Objects;

/**
 * An informer of a {@link KubernetesCluster} watch failed. {@code retrying} tells whether the
 * informer goes on (it re-lists and re-watches) or has stopped for good, in which case the events
 * of that kind no longer arrive and the caller should watch again.
 *
 * @param cluster the cluster's name
 * @param kind the watched kind
 * @param retrying true while the informer keeps trying
 * @param cause what went wrong
 */
public record WatchFailure(String cluster, GroupKind kind, boolean retrying, Throwable cause) {
  public WatchFailure {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cause, "cause");
  }
}
