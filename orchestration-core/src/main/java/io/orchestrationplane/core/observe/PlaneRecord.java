package io.orchestrationplane.core.observe;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
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
    PlaneRecord.Executed, PlaneEvent, PlaneRecord.Refused {

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

  /** Admission policies denied writes of a plan; nothing was written. */
  record Denied(Instant time, Subject subject, String application, List<String> violations) implements PlaneRecord {
    public Denied {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      violations = List.copyOf(violations);
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

  /** A plan's execution finished: every outcome, and whether it succeeded. */
  record Executed(Instant time, Subject subject, String application, ExecutionResult result) implements PlaneRecord {
    public Executed {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(result, "result");
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
}
