package io.orchestrationplane.gitops;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status of a {@link GitSource} or fleet, as of its last sync.
 *
 * @param name the source's or fleet's name
 * @param lastSync when it last synced (or tried), by the plane's clock; empty before the first
 * @param lastResult what the last sync did; empty before the first
 * @param seenCommit the commit the last successful read found (Git sources and Git generators)
 * @param appliedCommit the commit whose desired state was last submitted to the plane
 * @param applications ids of the applications it owns (submitted and not removed), sorted
 * @param heldRemovals ids whose removal the prune guard holds, sorted
 * @param message what the last sync did or why it did nothing, with the commit it concerned
 */
public record SyncStatus(String name, Optional<Instant> lastSync, Optional<SyncResult> lastResult,
    Optional<GitCommitInfo> seenCommit, Optional<GitCommitInfo> appliedCommit, List<String> applications,
    List<String> heldRemovals, String message) {
  public SyncStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastSync, "lastSync");
    Objects.requireNonNull(lastResult, "lastResult");
    Objects.requireNonNull(seenCommit, "seenCommit");
    Objects.requireNonNull(appliedCommit, "appliedCommit");
    applications = List.copyOf(applications);
    heldRemovals = List.copyOf(heldRemovals);
    Objects.requireNonNull(message, "message");
  }

  /** True when the last sync applied the source (or found it unchanged) with nothing held or refused. */
  public boolean isHealthy() {
    return lastResult.map(r -> r instanceof SyncResult.Unchanged
        || (r instanceof SyncResult.Applied a && a.held().isEmpty() && a.failed().isEmpty())).orElse(false)
        && heldRemovals.isEmpty();
  }
}
