package io.orchestrationplane.core.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides an application's phase and conditions: a pure function of what
 * was found ({@link Situation}), the generation it was found for, the status recorded before and
 * the time. Conditions keep their last transition time while their state holds.
 */
public final class StatusRules {
  /** Failed reads of a converged application that leave it READY (the attempt numbers below this). */
  public static final int STAY_READY_ATTEMPTS = 3;

  private StatusRules() {}

  /** A phase and its conditions. */
  public record Verdict(Phase phase, List<Condition> conditions) {
    public Verdict {
      Objects.requireNonNull(phase, "phase");
      conditions = List.copyOf(conditions);
    }
  }

  /**
   * The phase and conditions of an application of {@code generation} in {@code situation}.
   *
   * @param before the status recorded last (null when none)
   */
  public static Verdict decide(Situation situation, long generation, @Nullable ApplicationStatus before, Instant now) {
    Objects.requireNonNull(situation, "situation");
    Objects.requireNonNull(now, "now");
    if (situation instanceof Situation.Pending) {
      return new Verdict(Phase.PENDING, List.of(new Condition(Condition.READY, Condition.State.UNKNOWN, "Pending",
          "not reconciled yet", now)));
    } else if (situation instanceof Situation.Converged) {
      return verdict(Phase.READY, before, now, true, "InSync", "every object is present, in sync and healthy",
          false, "Converged", "", false, "InSync", "");
    } else if (situation instanceof Situation.Progressing p) {
      if (p.elapsed().compareTo(p.deadline()) >= 0) {
        String message = p.blocking() + " after " + human(p.elapsed());
        return blocked(Phase.DEGRADED, "ProgressDeadlineExceeded", message, before, now);
      }
      String reason = p.waitingForDependencies() ? "WaitingForDependencies" : "Unhealthy";
      return verdict(Phase.PROGRESSING, before, now, false, reason, p.blocking(), true, reason, p.blocking(),
          false, reason, "");
    } else if (situation instanceof Situation.OutOfSync o) {
      return verdict(Phase.PROGRESSING, before, now, false, "OutOfSync", o.summary(), true, "OutOfSync", o.summary(),
          false, "OutOfSync", "");
    } else if (situation instanceof Situation.Unhealthy u) {
      return u.degraded() ? blocked(Phase.DEGRADED, "Unhealthy", u.message(), before, now)
          : verdict(Phase.PROGRESSING, before, now, false, "Unhealthy", u.message(), true, "Unhealthy", u.message(),
              false, "Unhealthy", "");
    } else if (situation instanceof Situation.Invalid s) {
      return blocked(Phase.DEGRADED, "InvalidSpec", s.message(), before, now);
    } else if (situation instanceof Situation.Denied s) {
      return blocked(Phase.DEGRADED, "AdmissionDenied", s.message(), before, now);
    } else if (situation instanceof Situation.PruneRefused s) {
      return blocked(Phase.DEGRADED, "PruneRefused", s.message(), before, now);
    } else if (situation instanceof Situation.DriftReported s) {
      return blocked(Phase.DEGRADED, "Drifted", s.message(), before, now);
    } else if (situation instanceof Situation.FightingWriter s) {
      return blocked(Phase.DEGRADED, "FightingWriter", s.message(), before, now);
    } else if (situation instanceof Situation.WriteLoop s) {
      return blocked(Phase.DEGRADED, "WriteLoop", s.message(), before, now);
    } else if (situation instanceof Situation.ReconcileError s) {
      Verdict v = blocked(Phase.DEGRADED, "ReconcileError", s.message(), before, now);
      return s.removing() ? new Verdict(Phase.REMOVING, v.conditions()) : v;
    } else if (situation instanceof Situation.StalePlan s) {
      return verdict(Phase.PROGRESSING, before, now, false, "Progressing", s.message(), true, "StalePlan", s.message(),
          false, "StalePlan", "");
    } else if (situation instanceof Situation.ApplyFailed s) {
      return verdict(Phase.DEGRADED, before, now, false, "ApplyFailed", s.message(), true, "Applying",
          s.written() + " of " + s.planned() + " changes written", true, "ApplyFailed", s.message());
    } else if (situation instanceof Situation.PlanProblems s) {
      if (s.unreadableOnly() && s.attempt() < STAY_READY_ATTEMPTS && before != null && before.phase() == Phase.READY
          && before.observedGeneration() == generation) {
        return new Verdict(Phase.READY, before.conditions());
      }
      return verdict(Phase.DEGRADED, before, now, false, "PlanProblems", s.message(), false, "Blocked", "",
          true, "PlanProblems", s.message());
    } else if (situation instanceof Situation.Removing s) {
      return verdict(Phase.REMOVING, before, now, false, "Removing", s.message(), true, "Removing", s.message(),
          s.blocked(), s.blocked() ? "RemovalBlocked" : "Removing", s.blocked() ? s.message() : "");
    } else if (situation instanceof Situation.RemovalDenied s) {
      return verdict(Phase.REMOVING, before, now, false, "Removing", s.message(), false, "Removing", "",
          true, "AdmissionDenied", s.message());
    } else if (situation instanceof Situation.Removed s) {
      return verdict(Phase.REMOVED, before, now, false, "Removed", s.message(), false, "Removed", "",
          false, "Removed", "");
    }
    throw new IllegalArgumentException("unknown situation " + situation);
  }

  /**
   * The conditions of {@code status} once a retry is scheduled: the blocking ones (Degraded
   * true, Ready false) say what failed and when the next attempt is, transition times kept.
   */
  public static List<Condition> retrying(ApplicationStatus status, String message) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : status.conditions()) {
      boolean blocking = (c.type().equals(Condition.DEGRADED) && c.isTrue())
          || (c.type().equals(Condition.READY) && !c.isTrue());
      out.add(blocking ? new Condition(c.type(), c.state(), c.reason(), message, c.lastTransitionTime()) : c);
    }
    return out;
  }

  /** The phase of one environment's objects: READY when all are in sync, DEGRADED when a write of one failed. */
  public static Phase environmentPhase(List<ResourceStatus> resources) {
    if (resources.stream().allMatch(ResourceStatus::isSynced)) {
      return Phase.READY;
    }
    return resources.stream().anyMatch(ResourceStatus::lastWriteFailed) ? Phase.DEGRADED : Phase.PROGRESSING;
  }

  /** {@code 10m}, {@code 90s}, {@code 1h5m}. */
  public static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long rest = s % 60;
    return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (rest > 0 && h == 0 ? rest + "s" : "");
  }

  /** Not ready, not progressing, degraded for {@code reason}. */
  private static Verdict blocked(Phase phase, String reason, @Nullable String message, @Nullable ApplicationStatus before, Instant now) {
    return verdict(phase, before, now, false, reason, message, false, reason, "", true, reason, message);
  }

  private static Verdict verdict(Phase phase, @Nullable ApplicationStatus before, Instant now,
      boolean ready, String readyReason, @Nullable String readyMessage,
      boolean progressing, String progressingReason, String progressingMessage,
      boolean degraded, String degradedReason, @Nullable String degradedMessage) {
    return new Verdict(phase, List.of(
        condition(before, Condition.READY, ready, readyReason, readyMessage, now),
        condition(before, Condition.PROGRESSING, progressing, progressingReason, progressingMessage, now),
        condition(before, Condition.DEGRADED, degraded, degradedReason, degradedMessage, now)));
  }

  private static Condition condition(@Nullable ApplicationStatus before, String type, boolean holds, String reason,
      @Nullable String message, Instant now) {
    Condition.State state = holds ? Condition.State.TRUE : Condition.State.FALSE;
    Instant since = before == null ? now : before.condition(type)
        .filter(c -> c.state() == state).map(Condition::lastTransitionTime).orElse(now);
    return new Condition(type, state, reason, message, since);
  }
}
