package io.orchestrationplane.core.audit.internal;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PolicyNotice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Which plane records are decisions, and what of them the audit keeps. Plans without writes and
 * executions that wrote nothing (a resync that found nothing to do) are not decisions; single
 * writes are summed up in their execution; telemetry records are not kept.
 */
public final class AuditMapper {
  private AuditMapper() {}

  /** A record before it is chained: everything but sequence, previous and hash. */
  public record Draft(Instant time, Subject subject, AuditAction action, String application, String revision,
      String plan, List<AuditRecord.Verdict> verdicts, List<AuditRecord.ClusterOutcome> outcomes, String message) {}

  /**
   * True when {@code record} is a decision the audit keeps, exactly when {@link #map} gives a draft:
   * cheap (type tests and a look at the plan's changes), for the caller's thread.
   */
  public static boolean isDecision(PlaneRecord record) {
    if (record instanceof PlaneRecord.Planned p) {
      return p.plan().hasChanges();
    }
    if (record instanceof PlaneRecord.Executed e) {
      return !e.result().outcomes().isEmpty();
    }
    if (record instanceof PlaneEvent event) {
      return action(event) != null;
    }
    return record instanceof PlaneRecord.Denied || record instanceof PlaneRecord.Refused
        || record instanceof PlaneRecord.Approval;
  }

  private static @Nullable AuditAction action(PlaneEvent event) {
    return switch (event.type()) {
      case SUBMITTED -> AuditAction.SUBMIT;
      case INVALID -> AuditAction.REJECT;
      case DRIFT_CORRECTED -> AuditAction.CORRECT_DRIFT;
      case REMOVED -> AuditAction.REMOVE;
      default -> null;
    };
  }

  /** {@link #map(PlaneRecord, Digests)} without a cache of plan digests. */
  public static @Nullable Draft map(PlaneRecord record) {
    return map(record, new Digests());
  }

  /** The draft of a decision, or null when {@code record} is none; plan digests through {@code digests}. */
  public static @Nullable Draft map(PlaneRecord record, Digests digests) {
    if (record instanceof PlaneRecord.Planned p) {
      if (!p.plan().hasChanges()) {
        return null;
      }
      return new Draft(p.time(), p.subject(), AuditAction.PLAN, p.application(), "", digests.of(p.plan()),
          verdicts(p.plan().notices()), List.of(), "");
    }
    if (record instanceof PlaneRecord.Denied d) {
      List<AuditRecord.Verdict> verdicts = new ArrayList<>(verdicts(d.denials()));
      if (verdicts.isEmpty()) { // a denial without structured verdicts: its lines, each already redacted
        for (String v : d.violations()) {
          verdicts.add(new AuditRecord.Verdict("", "Deny", "", "", v));
        }
      }
      return new Draft(d.time(), d.subject(), AuditAction.DENY, d.application(), "", "", verdicts, List.of(), "");
    }
    if (record instanceof PlaneRecord.Refused r) {
      // the deciding policy line or the project's violations: names of objects and rules, no values
      return new Draft(r.time(), r.subject(), AuditAction.REFUSE, r.application(), "", "",
          List.of(new AuditRecord.Verdict("", "Refuse", r.resource(), "", r.action() + ": " + r.reason())), List.of(),
          "");
    }
    if (record instanceof PlaneRecord.Approval a) {
      AuditAction action = switch (a.decision()) {
        case APPROVED -> AuditAction.APPROVE;
        case REJECTED -> AuditAction.REJECT_APPROVAL;
        case OVERRIDE -> AuditAction.OVERRIDE;
      };
      // the release's digest as the revision; the step (or the environment of an override) and the
      // approver's comment (a user's text, already cleaned and capped) as the message
      String what = a.decision() == PlaneRecord.Approval.Decision.OVERRIDE
          ? "environment " + a.environment() : "step " + a.step();
      return new Draft(a.time(), a.subject(), action, a.application(), a.release(), "", List.of(), List.of(),
          a.comment().isEmpty() ? what : what + ": " + a.comment());
    }
    if (record instanceof PlaneRecord.Executed e) {
      ExecutionResult result = e.result();
      if (result.outcomes().isEmpty()) {
        return null;
      }
      return new Draft(e.time(), e.subject(), AuditAction.EXECUTE, e.application(), e.revision(),
          digests.of(result.plan()), verdicts(result.plan().notices()), outcomes(result), "");
    }
    if (record instanceof PlaneEvent event) {
      AuditAction action = action(event);
      if (action == null) {
        return null;
      }
      // An invalid desired state's problems may quote the values that made it invalid: not kept.
      String message = action == AuditAction.REJECT ? "the desired state is invalid" : event.message();
      return new Draft(event.time(), event.subject(), action, event.application(), "", "", List.of(), List.of(),
          message);
    }
    return null;
  }

  /**
   * The digests of the plans mapped last, by identity: a reconcile tells its plan and then its
   * execution of that very plan (the same instance, immutable), a few records apart when several
   * workers run, and the digest (a hash over every write's desired content) is the dearest part of
   * either record. Strong references to the last {@value #SIZE} plans; not thread-safe (the audit
   * log's writer owns one).
   */
  public static final class Digests {
    static final int SIZE = 16;
    private final Plan[] plans = new Plan[SIZE];
    private final String[] digests = new String[SIZE];
    private int next;

    String of(Plan plan) {
      for (int i = 0; i < SIZE; i++) {
        if (plans[i] == plan) {
          return digests[i];
        }
      }
      String digest = plan.digest();
      plans[next] = plan;
      digests[next] = digest;
      next = (next + 1) % SIZE;
      return digest;
    }
  }

  private static List<AuditRecord.Verdict> verdicts(List<PolicyNotice> notices) {
    if (notices.isEmpty()) {
      return List.of();
    }
    List<AuditRecord.Verdict> out = new ArrayList<>(notices.size());
    for (PolicyNotice n : notices) {
      // A mutation's JSON Patch carries the values it set: named, not quoted.
      String message = n.action().equals("Mutate") ? "" : n.message();
      out.add(new AuditRecord.Verdict(n.policy(), n.action(), n.key().display(), n.key().cluster(), message));
    }
    return out;
  }

  private static List<AuditRecord.ClusterOutcome> outcomes(ExecutionResult result) {
    List<Outcome> all = result.outcomes();
    String only = all.get(0).cluster();
    for (Outcome o : all) {
      if (!o.cluster().equals(only)) {
        return outcomesByCluster(all);
      }
    }
    // the common case, one cluster: counted without a map per record
    int[] c = new int[6];
    String error = null;
    for (Outcome o : all) {
      if (count(o, c) && error == null) {
        error = o.change().key().display() + ": " + o.message();
      }
    }
    return List.of(new AuditRecord.ClusterOutcome(only, c[0], c[1], c[2], c[3], c[4], c[5],
        error == null ? "" : error));
  }

  /** Counts {@code o} in {@code c} (applied, deleted, unchanged, failed, waiting, skipped); true when it failed. */
  private static boolean count(Outcome o, int[] c) {
    switch (o.status()) {
      case APPLIED -> c[0]++;
      case DELETED -> c[1]++;
      case UNCHANGED -> c[2]++;
      case FAILED, CONFLICT -> {
        c[3]++;
        return true;
      }
      case WAITING -> c[4]++;
      default -> c[5]++;
    }
    return false;
  }

  /** Outcomes in several clusters: one entry per cluster, in the clusters' name order. */
  private static List<AuditRecord.ClusterOutcome> outcomesByCluster(List<Outcome> all) {
    Map<String, int[]> counts = new TreeMap<>();
    Map<String, String> errors = new TreeMap<>();
    for (Outcome o : all) {
      int[] c = counts.computeIfAbsent(o.cluster(), k -> new int[6]);
      if (count(o, c)) {
        errors.putIfAbsent(o.cluster(), o.change().key().display() + ": " + o.message());
      }
    }
    List<AuditRecord.ClusterOutcome> out = new ArrayList<>();
    counts.forEach((cluster, c) -> out.add(new AuditRecord.ClusterOutcome(cluster, c[0], c[1], c[2], c[3], c[4], c[5],
        errors.getOrDefault(cluster, ""))));
    return out;
  }
}
