package io.orchestrationplane.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What an active step waits for, as {@link ReleaseStatus} reports it. */
public sealed interface WaitingFor
    permits WaitingFor.Approval, WaitingFor.Window, WaitingFor.Health, WaitingFor.Soak, WaitingFor.Retry, WaitingFor.Other {

  /** One line for people. */
  String describe();

  /** Approvals: the rule, who approved so far, when the request expires (if it does). */
  record Approval(String rule, List<String> approvedBy, Optional<Instant> expiresAt) implements WaitingFor {
    public Approval {
      approvedBy = List.copyOf(approvedBy);
    }

    @Override
    public String describe() {
      return "approval from " + rule + (approvedBy.isEmpty() ? "" : "; approved so far by " + approvedBy)
          + expiresAt.map(t -> "; expires at " + t).orElse("");
    }
  }

  /** The environment's change windows: which block, and when it opens. */
  record Window(String environment, List<String> blocking, Optional<Instant> opensAt) implements WaitingFor {
    public Window {
      blocking = List.copyOf(blocking);
    }

    @Override
    public String describe() {
      return "change window of " + environment + ", " + opensAt.map(t -> "opening at " + t).orElse("not opening within a year")
          + " (blocked by " + String.join("; ", blocking) + ")";
    }
  }

  /** The environment's objects to be healthy; the unhealthy ones, each with its health. */
  record Health(String environment, List<String> unhealthy) implements WaitingFor {
    public Health {
      unhealthy = List.copyOf(unhealthy);
    }

    @Override
    public String describe() {
      return "health of " + environment + ": " + String.join("; ", unhealthy);
    }
  }

  /** The environment to stay healthy until {@code until}. */
  record Soak(String environment, Instant until) implements WaitingFor {
    @Override
    public String describe() {
      return environment + " to stay healthy until " + until;
    }
  }

  /** The next attempt, after a failed one. */
  record Retry(Instant at, String lastError) implements WaitingFor {
    @Override
    public String describe() {
      return "the next attempt at " + at + " (last: " + lastError + ")";
    }
  }

  /** Anything else (a step type's own reason). */
  record Other(String message, Optional<Instant> recheckAt) implements WaitingFor {
    @Override
    public String describe() {
      return message + recheckAt.map(t -> " (again at " + t + ")").orElse("");
    }
  }
}
