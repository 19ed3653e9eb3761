package io.orchestrationplane.core.observe;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PlaneObserver}s receive, one record per step of the pipeline, each saying when,
 * who and for which application: a plan admitted, a plan denied, each write as it happens, an
 * execution finished, and the events of continuous mode. No record holds a secret value except
 * inside the plan and execution result objects, whose text and JSON forms show digests.
 */
public sealed interface PlaneRecord permits PlaneRecord.Planned, PlaneRecord.Denied, PlaneRecord.Written,
    PlaneRecord.Executed, PlaneEvent {

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
}
