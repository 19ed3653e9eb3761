package io.orchestrationplane.core.observe;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PlaneObserver}s receive, one record per step of the pipeline, each saying when,
 * who and for which application: a plan admitted, a plan denied, each write as it happens, an
 * execution finished, and the events of continuous mode. No record holds a secret value except
 * inside the plan and execution result objects, whose text and JSON forms show digests. Release
 * management adds its decisions ({@link Approval}) through {@code OrchestrationPlane.recordApproval}
 * and its finished workflow steps ({@link StepFinished}) through {@code OrchestrationPlane.recordStep}.
 */
public sealed interface PlaneRecord permits PlaneRecord.Planned, PlaneRecord.Denied, PlaneRecord.Written,
    PlaneRecord.Executed, PlaneRecord.Reconciled, PlaneRecord.Queued, PlaneRecord.Refused, PlaneRecord.Approval,
    PlaneRecord.StepFinished, PlaneEvent {

  /** When it happened, by the plane's clock. */
  Instant time();

  /** Who acted. */
  Subject subject();

  /** The application, {@code <namespace>.<name>}. */
  String application();

  /** A plan was made and admitted by the plane's policies; nothing is written yet. */
  record Planned(Instant time, Subject subject, String application, Plan plan) implements PlaneRecord {
    public Planned {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(plan, "plan");
    }
  }

  /**
   * Admission policies denied writes of a plan; nothing was written.
   *
   * @param violations one line per violation, as {@link io.orchestrationplane.core.admit.AdmissionDeniedException} lists them
   * @param denials the same violations as values (object, policy, action {@code Deny}, redacted message);
   *     empty when the denial did not come with them
   */
  record Denied(Instant time, Subject subject, String application, List<String> violations,
      List<PolicyNotice> denials) implements PlaneRecord {
    public Denied {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      violations = List.copyOf(violations);
      denials = List.copyOf(denials);
    }

    /** A denial given as lines only. */
    public Denied(Instant time, Subject subject, String application, List<String> violations) {
      this(time, subject, application, violations, List.of());
    }
  }

  /** One write ran (or was held back or skipped), in the order they ran. */
  record Written(Instant time, Subject subject, String application, ResourceKey key, Change.Type type,
      WriteResult result) implements PlaneRecord {
    public Written {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * A plan's execution finished: every outcome, and whether it succeeded.
   *
   * @param revision the digest of the desired state the execution applies, as its revision
   *     records it ({@code sha256:...}); empty when it applies no new desired state (a removal, a plan applied alone)
   */
  record Executed(Instant time, Subject subject, String application, ExecutionResult result, String revision)
      implements PlaneRecord {
    public Executed {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(revision, "revision");
    }

    /** An execution of no particular revision. */
    public Executed(Instant time, Subject subject, String application, ExecutionResult result) {
      this(time, subject, application, result, "");
    }
  }

  /**
   * Continuous mode's controller finished one reconcile of an application: how it ended and how
   * long it took, by the plane's clock. For metrics (controller-runtime's reconcile counters and
   * histogram); the audit log does not keep it.
   *
   * @param controller the controller's name
   */
  record Reconciled(Instant time, Subject subject, String application, String controller, Result result,
      Duration duration) implements PlaneRecord {
    /** How a reconcile ended, as controller-runtime labels it. */
    public enum Result {
      /** Done; nothing scheduled. */
      SUCCESS,
      /** The reconciler asked to run again with backoff (a rate-limited requeue). */
      REQUEUE,
      /** The reconciler asked to run again after a fixed delay. */
      REQUEUE_AFTER,
      /** The reconcile failed; retried with backoff. */
      ERROR,
      /** The reconcile failed terminally; not retried until a new event. */
      TERMINAL_ERROR
    }

    public Reconciled {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(controller, "controller");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * Traffic of continuous mode's work queue for one application, as client-go's workqueue tells
   * its metrics provider. For metrics; the audit log does not keep it.
   *
   * @param queue the queue's name (the controller's)
   * @param duration for {@link Activity#HANDED_OUT} how long the key waited, for {@link
   *     Activity#DONE} how long it was worked on; zero otherwise
   * @param depth keys waiting to be handed out after this step ({@code -1} when not known, for
   *     {@link Activity#DONE} and {@link Activity#RETRIED})
   */
  record Queued(Instant time, Subject subject, String application, String queue, Activity activity, Duration duration,
      int depth) implements PlaneRecord {
    /** What happened in the queue. */
    public enum Activity {
      /** The application was queued (a duplicate of one already waiting is not an add). */
      ADDED,
      /** A worker took it. */
      HANDED_OUT,
      /** The worker is done with it. */
      DONE,
      /** A failure was counted and a rate-limited retry queued. */
      RETRIED
    }

    public Queued {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(queue, "queue");
      Objects.requireNonNull(activity, "activity");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * The call was refused before anything was read or written: the caller's access control denied
   * it, or the application reaches outside its project (see {@code core.access}).
   *
   * @param action what was asked, as policies name it ({@code sync}, {@code get}...)
   * @param resource what it was asked of: {@code applications, sync, shop/shop/checkout/prod} for
   *     access control, {@code project shop} for a project's fence
   * @param reason the deciding policy line, or every violation of the project
   */
  record Refused(Instant time, Subject subject, String application, String action, String resource, String reason)
      implements PlaneRecord {
    public Refused {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A person decided on a gate of release management: approved or rejected an approval step, or
   * approved letting a release through the change windows of an environment. Reaches observers
   * only after the access control allowed it and the decision was recorded.
   *
   * @param application the application the release belongs to, {@code <namespace>.<name>}
   * @param step the approval step decided on; empty for a window override
   * @param environment the environment an override lets the release into; empty for an approval step
   * @param release the digest of the release decided on, as the release carries it ({@code hmac-sha256:...})
   * @param comment the approver's comment: free text, stripped of control characters and cut to
   *     {@value #MAX_COMMENT} characters (it is a user's text, never a model value)
   */
  record Approval(Instant time, Subject subject, String application, String step, String environment,
      String release, Decision decision, String comment) implements PlaneRecord {
    /** The most characters of a comment that are kept. */
    public static final int MAX_COMMENT = 1024;

    /** What was decided. */
    public enum Decision {
      /** An approval step was approved. */
      APPROVED,
      /** An approval step was rejected: it fails. */
      REJECTED,
      /** Letting a release through change windows that block an environment was approved. */
      OVERRIDE
    }

    public Approval {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(release, "release");
      Objects.requireNonNull(decision, "decision");
      if (application.isBlank() || release.isBlank()) {
        throw new IllegalArgumentException("an approval needs an application and a release digest");
      }
      if (decision == Decision.OVERRIDE ? environment.isBlank() : step.isBlank()) {
        throw new IllegalArgumentException(decision == Decision.OVERRIDE
            ? "an override names the environment it lets the release into"
            : "an approval or rejection names its step");
      }
      comment = clean(Objects.requireNonNull(comment, "comment"));
    }

    /** The comment without control characters (a line break becomes a space), at most {@link #MAX_COMMENT} characters. */
    private static String clean(String comment) {
      StringBuilder b = new StringBuilder(Math.min(comment.length(), MAX_COMMENT));
      for (int i = 0; i < comment.length() && b.length() < MAX_COMMENT; ) {
        int cp = comment.codePointAt(i);
        i += Character.charCount(cp);
        if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
            || cp == 0x2028 || cp == 0x2029) {
          if (Character.isWhitespace(cp) && b.length() > 0 && b.charAt(b.length() - 1) != ' ') {
            b.append(' ');
          }
          continue;
        }
        if (b.length() + Character.charCount(cp) > MAX_COMMENT) {
          break;
        }
        b.appendCodePoint(cp);
      }
      return b.toString().strip();
    }
  }

  /**
   * A step of a release management workflow finished, once per step of a run, told by the engine
   * whose write recorded the end. For metrics; the audit log does not keep it (the decisions
   * behind a step are {@link Approval}s and {@link Executed}s of their own).
   *
   * @param subject who the run acts for (the release's author)
   * @param application the application the release belongs to, {@code <namespace>.<name>}
   * @param step the step's name in its workflow
   * @param stepType the step's type ({@code apply}, {@code approval}, a registered type's name...)
   * @param environment the environment the step works on; empty when it names none
   * @param duration from the start of the step's first attempt to its end, by the plane's clock
   * @param attempts how many attempts the step began (at least 1)
   */
  record StepFinished(Instant time, Subject subject, String application, String step, String stepType,
      String environment, Outcome outcome, Duration duration, int attempts) implements PlaneRecord {
    /** How a step ended. */
    public enum Outcome {
      /** It did what it was there for. */
      SUCCEEDED,
      /** It failed (for good: after its last retry, or rejected). */
      FAILED,
      /** Its deadline passed (an approval expired, a health wait timed out) with no retry left. */
      TIMED_OUT,
      /** It had begun when the run ended without it (another step failed, a newer release superseded the run). */
      CANCELLED
    }

    public StepFinished {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(stepType, "stepType");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(duration, "duration");
      if (application.isBlank() || step.isBlank() || stepType.isBlank()) {
        throw new IllegalArgumentException("a finished step names its application, step and step type");
      }
      if (duration.isNegative()) {
        throw new IllegalArgumentException("duration: a step cannot end before it starts, got " + duration);
      }
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts: a finished step began at least one attempt, got " + attempts);
      }
    }
  }
}
