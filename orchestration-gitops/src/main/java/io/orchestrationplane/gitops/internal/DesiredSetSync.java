package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.gitops.PruneGuard;
import io.orchestrationplane.gitops.SyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Makes the applications a source owns on a plane equal to a desired set: submits every desired
 * application (continuous mode bumps its generation only when it changed) and removes the owned
 * ones the set no longer holds, unless the {@link PruneGuard} holds the removal. Remembers what it
 * owns in memory. Not thread-safe: its owner serializes syncs.
 *
 * <p>An application id belongs to the first source (by subject) that submits it on a plane: another
 * source or fleet of the same plane yielding the same id does not submit it (it is reported as
 * failed), so it can neither overwrite it nor, when it disappears from that other source, remove it.
 */
public final class DesiredSetSync {
  /** One desired application and where it came from. */
  public record Desired(Application application, Origin origin) {}

  private final OrchestrationPlane plane;
  private final Subject subject;
  private final DriftPolicy driftPolicy;
  private final PruneGuard guard;
  private final Map<String, Application> owned = new TreeMap<>();
  private final TreeSet<String> held = new TreeSet<>();
  /** Per plane, which subject's source submitted each application id (guarded by itself). */
  private static final Map<OrchestrationPlane, Map<String, Subject>> CLAIMS = new WeakHashMap<>();

  public DesiredSetSync(OrchestrationPlane plane, Subject subject, DriftPolicy driftPolicy, PruneGuard guard) {
    this.plane = plane;
    this.subject = subject;
    this.driftPolicy = driftPolicy;
    this.guard = guard;
  }

  /** Ids of the applications owned (submitted and not removed), sorted. */
  public List<String> owned() {
    return List.copyOf(owned.keySet());
  }

  /** Ids whose removal is held, sorted. */
  public List<String> held() {
    return List.copyOf(held);
  }

  /**
   * Submits the desired set as one change ({@link OrchestrationPlane#submitAll}): when the plane
   * refuses any application of it (invalid, not allowed, outside its project, an object another
   * application owns), nothing is submitted or removed and the result is {@link SyncResult.Refused}
   * naming it. Ids another source holds are left out and reported as failed, as before.
   *
   * @param desired the applications the source yields now, by id (already validated)
   * @param confirmPrune remove what is gone even beyond the guard (a person confirmed it)
   */
  public SyncResult sync(Map<String, Desired> desired, boolean confirmPrune) {
    List<String> failed = new ArrayList<>();
    List<String> claimedNow = new ArrayList<>();
    List<OrchestrationPlane.Submission> set = new ArrayList<>();
    for (Map.Entry<String, Desired> e : desired.entrySet()) {
      Desired d = e.getValue();
      boolean ownedBefore = owned.containsKey(e.getKey());
      Subject holder = claim(e.getKey());
      if (holder != null) {
        failed.add(e.getKey() + ": not submitted, it belongs to another source (" + holder.name() + ")");
        continue;
      }
      if (!ownedBefore) {
        claimedNow.add(e.getKey());
      }
      set.add(new OrchestrationPlane.Submission(d.application(), d.origin()));
    }
    try {
      plane.submitAll(set, driftPolicy, subject);
    } catch (RuntimeException ex) {
      claimedNow.forEach(this::release);
      return new SyncResult.Refused((ex.getMessage() == null ? ex.getClass().getSimpleName()
          : ex.getMessage()) + "; nothing was submitted or removed");
    }
    List<String> submitted = new ArrayList<>();
    for (OrchestrationPlane.Submission sub : set) {
      owned.put(sub.application().id(), sub.application());
      submitted.add(sub.application().id());
    }
    List<String> gone = new ArrayList<>();
    for (String id : owned.keySet()) {
      if (!desired.containsKey(id)) {
        gone.add(id);
      }
    }
    held.clear();
    String reason = confirmPrune ? null : guard.holds(gone.size(), owned.size(), desired.size());
    List<String> removed = new ArrayList<>();
    if (reason != null) {
      held.addAll(gone);
    } else {
      for (String id : gone) {
        try {
          plane.remove(owned.get(id), subject);
          owned.remove(id);
          release(id);
          removed.add(id);
        } catch (RuntimeException ex) {
          failed.add(id + ": cannot remove: " + ex.getMessage());
        }
      }
    }
    return new SyncResult.Applied(submitted, removed, List.copyOf(held), reason == null ? "" : reason, failed);
  }

  /** Claims {@code id} for this source's subject; the other subject holding it, or null. */
  private @Nullable Subject claim(String id) {
    synchronized (CLAIMS) {
      Subject holder = CLAIMS.computeIfAbsent(plane, p -> new TreeMap<>()).putIfAbsent(id, subject);
      return holder == null || holder.equals(subject) ? null : holder;
    }
  }

  private void release(String id) {
    synchronized (CLAIMS) {
      Map<String, Subject> claims = CLAIMS.get(plane);
      if (claims != null) {
        claims.remove(id, subject);
      }
    }
  }
}
