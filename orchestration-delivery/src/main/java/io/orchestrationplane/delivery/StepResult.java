package io.orchestrationplane.delivery;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What one attempt of a {@link StepType} came to. */
public sealed interface StepResult permits StepResult.Succeeded, StepResult.Failed, StepResult.Waiting {

  static StepResult succeeded(String message) {
    return new Succeeded(message);
  }

  static StepResult failed(String message) {
    return new Failed(message);
  }

  /** Not done yet: run the step again at {@code recheckAt} (null: 10 seconds later on the delivery's clock). */
  static StepResult waiting(String message, @Nullable Instant recheckAt) {
    return new Waiting(message, recheckAt);
  }

  String message();

  /** The step is done. */
  record Succeeded(String message) implements StepResult {
    public Succeeded {
      Objects.requireNonNull(message, "message");
    }
  }

  /** The attempt failed; the step's retries decide whether another follows. */
  record Failed(String message) implements StepResult {
    public Failed {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Not done yet, for the reason given. */
  record Waiting(String message, @Nullable Instant recheckAt) implements StepResult {
    public Waiting {
      Objects.requireNonNull(message, "message");
    }
  }
}
