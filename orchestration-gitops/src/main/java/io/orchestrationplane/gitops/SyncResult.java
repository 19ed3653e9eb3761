package io.orchestrationplane.gitops;

import java.util.List;
import java.util.Objects;

/** What one sync of a {@link GitSource} or fleet did. */
public sealed interface SyncResult permits SyncResult.Applied, SyncResult.Unchanged, SyncResult.Refused,
    SyncResult.Failed {

  /** A one-line description for status and logs. */
  String describe();

  /**
   * The desired set was submitted to the plane.
   *
   * @param submitted ids of the applications submitted (created or updated; unchanged ones too)
   * @param removed ids of the applications removed from the plane
   * @param held ids of applications gone from the source whose removal the {@link PruneGuard} holds
   * @param holdReason why removal is held, empty when nothing is
   * @param failed one message per application the plane refused (e.g. an object another application owns)
   */
  record Applied(List<String> submitted, List<String> removed, List<String> held, String holdReason,
      List<String> failed) implements SyncResult {
    public Applied {
      submitted = List.copyOf(submitted);
      removed = List.copyOf(removed);
      held = List.copyOf(held);
      Objects.requireNonNull(holdReason, "holdReason");
      failed = List.copyOf(failed);
    }

    @Override
    public String describe() {
      StringBuilder sb = new StringBuilder("applied " + submitted.size() + " application(s)");
      if (!removed.isEmpty()) {
        sb.append(", removed ").append(removed);
      }
      if (!held.isEmpty()) {
        sb.append("; prune held for ").append(held).append(": ").append(holdReason)
            .append(" (confirm the prune to remove them)");
      }
      if (!failed.isEmpty()) {
        sb.append("; refused by the plane: ").append(String.join("; ", failed));
      }
      return sb.toString();
    }
  }

  /** The source has not changed since the last sync: nothing was done. */
  record Unchanged() implements SyncResult {
    @Override
    public String describe() {
      return "unchanged";
    }
  }

  /**
   * The source was read but cannot be applied (an unverified commit, invalid manifests, a
   * template that does not render): nothing was submitted or removed.
   */
  record Refused(String reason) implements SyncResult {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "refused: " + reason;
    }
  }

  /** The source could not be read (Git or a cluster registry unreachable): nothing was submitted or removed. */
  record Failed(String reason) implements SyncResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "failed: " + reason;
    }
  }
}
