package io.orchestrationplane.delivery.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of a canary's health, taken when an analysis step (or a blue-green
 * pre-promotion analysis) is due: register implementations with {@link
 * Rollouts.Builder#check(String, RolloutCheck)} under the name the trait's {@code analysis.check}
 * uses. An exception thrown here counts as an {@link Result.Phase#ERROR ERROR} measurement.
 * Implementations must be thread-safe and should answer quickly (the rollout engine waits).
 */
@FunctionalInterface
public interface RolloutCheck {

  /** Measures the canary of {@code context} now. */
  Result measure(Context context);

  /** What is measured: the environment application, the rolled component, its canary workload, the time. */
  record Context(String application, String environment, String component, String canary, Instant now) {
    public Context {
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(component, "component");
      Objects.requireNonNull(canary, "canary");
      Objects.requireNonNull(now, "now");
    }
  }

  /**
   * One measurement: its phase, the value seen (as text, for status) and the condition it was
   * judged by (the expression, for status and the abort message). No data or NaN must be
   * INCONCLUSIVE, never SUCCESSFUL.
   */
  record Result(Phase phase, String value, String condition) {
    /** Argo Rollouts' measurement phases. */
    public enum Phase { SUCCESSFUL, FAILED, INCONCLUSIVE, ERROR }

    public Result {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(condition, "condition");
    }

    public static Result successful(String value, String condition) {
      return new Result(Phase.SUCCESSFUL, value, condition);
    }

    public static Result failed(String value, String condition) {
      return new Result(Phase.FAILED, value, condition);
    }

    public static Result inconclusive(String value, String condition) {
      return new Result(Phase.INCONCLUSIVE, value, condition);
    }

    public static Result error(String message, String condition) {
      return new Result(Phase.ERROR, message, condition);
    }

    /**
     * Judges a number against a threshold: NaN or null is INCONCLUSIVE ("no data"), otherwise
     * SUCCESSFUL when {@code value < max}, FAILED when not. For simple checks and samples.
     */
    public static Result below(String metric, @org.jspecify.annotations.Nullable Double value, double max) {
      String condition = metric + " < " + max;
      if (value == null || value.isNaN()) {
        return inconclusive(value == null ? "no data" : "NaN", condition);
      }
      return value < max ? successful(metric + "=" + value, condition) : failed(metric + "=" + value, condition);
    }
  }
}
