package io.orchestrationplane.core.kind;

import io.orchestrationplane.core.resource.GroupKind;
import java.util.Objects;

/**
 * What the plane knows about one group/kind without asking a cluster.
 *
 * @param kind the group and kind
 * @param clusterScoped true when objects of the kind have no namespace (the renderer removes one)
 * @param applyRank the kind's place in apply order: lower ranks are written first and deleted last
 * @param watched whether continuous mode watches the kind on every cluster from the start (kinds
 *     an application renders are watched once it renders them, whatever this says)
 * @param pruned whether every plan searches the kind for leftovers of the application (kinds an
 *     application rendered or its inventory records are searched, whatever this says)
 */
public record KindInfo(GroupKind kind, boolean clusterScoped, int applyRank, boolean watched, boolean pruned) {
  public KindInfo {
    Objects.requireNonNull(kind, "kind");
    if (applyRank < 0) {
      throw new IllegalArgumentException("applyRank of " + kind + " must not be negative, was " + applyRank);
    }
  }
}
