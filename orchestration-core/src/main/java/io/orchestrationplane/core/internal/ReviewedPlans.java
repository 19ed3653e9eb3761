package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.apply.PlanMismatchException;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Compares a reviewed plan with a fresh one: "plan in one CI step, apply in the next". Stateless. */
final class ReviewedPlans {
  private ReviewedPlans() {}

  /** Why {@code fresh} is not the {@code reviewed} plan, or null when they write the same (live versions aside). */
  static @Nullable PlanMismatchException mismatch(Plan reviewed, Plan fresh) {
    if (!reviewed.policies().equals(fresh.policies())) {
      return new PlanMismatchException(fresh.application(), PlanMismatchException.Reason.OTHER_POLICIES,
          List.of("admitted under policy set " + shortHash(reviewed.policies()) + ", the plane's is "
              + shortHash(fresh.policies())));
    }
    Map<ResourceKey, Change> before = writesByKey(reviewed);
    Map<ResourceKey, Change> now = writesByKey(fresh);
    List<String> changed = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    Set<ResourceKey> keys = new TreeSet<>(before.keySet());
    keys.addAll(now.keySet());
    for (ResourceKey k : keys) {
      Change b = before.get(k);
      Change n = now.get(k);
      String what = k.display() + " (cluster " + k.cluster() + ")";
      String hashB = b == null ? null : b.contentHash();
      String hashN = n == null ? null : n.contentHash();
      if (b != null && n != null && b.type() == n.type() && Objects.equals(hashB, hashN) && paths(b).equals(paths(n))) {
        continue;
      }
      if (b != null && n != null && Objects.equals(hashB, hashN)) {
        stale.add(what + ": reviewed " + b.type() + " " + paths(b) + ", now " + n.type() + " " + paths(n));
      } else if (b == null) {
        (fresh.change(k).isPresent() || n.type() == Change.Type.DELETE ? stale : changed)
            .add(what + ": now " + n.type() + ", not in the reviewed plan");
      } else if (n == null) {
        stale.add(what + ": reviewed " + b.type() + ", now nothing to write");
      } else {
        changed.add(what + ": its desired content differs from the reviewed one");
      }
    }
    if (!changed.isEmpty()) {
      return new PlanMismatchException(fresh.application(), PlanMismatchException.Reason.CHANGED, changed);
    }
    if (!stale.isEmpty()) {
      return new PlanMismatchException(fresh.application(), PlanMismatchException.Reason.STALE, stale);
    }
    return null;
  }

  private static Map<ResourceKey, Change> writesByKey(Plan plan) {
    Map<ResourceKey, Change> out = new HashMap<>();
    for (Change c : plan.changes()) {
      if (c.isWrite()) {
        out.put(c.key(), c);
      }
    }
    for (Change c : plan.inventory()) {
      out.put(c.key(), c);
    }
    return out;
  }

  private static List<String> paths(Change c) {
    return c.diffs().stream().map(FieldDiff::path).toList();
  }

  private static String shortHash(String h) {
    return h.isEmpty() ? "(none)" : h.length() > 19 ? h.substring(0, 19) : h;
  }
}
