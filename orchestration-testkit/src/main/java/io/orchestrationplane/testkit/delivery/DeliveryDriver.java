package io.orchestrationplane.testkit.delivery;

import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.ReleaseStatus;
import io.orchestrationplane.delivery.WaitingFor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Drives a {@link Delivery} in a test, on a {@link ManualClock}: every move of the clock is
 * followed by {@code settle} (your workload simulators' {@code runUntilIdle}, say) and by
 * {@link Delivery#runPending()}.
 *
 * <pre>{@code
 * DeliveryDriver driver = DeliveryDriver.of(delivery, clock).settleWith(kubelet::runUntilIdle);
 * delivery.start(shop, workflow, Subject.of("dana"), Origin.code());
 * driver.run().assertActiveStep("shop.shop", "approve-prod");
 * driver.approveAs("shop.shop", "approve-prod", Subject.of("alice"), Subject.of("bob"));
 * driver.advanceThrough(Duration.ofMinutes(30)).advanceToWindow("shop.shop").assertFinished("shop.shop", ReleaseStatus.RunPhase.SUCCEEDED);
 * }</pre>
 */
public final class DeliveryDriver {
  /** The largest step {@link #advanceThrough} moves the clock by. */
  public static final Duration STEP = Duration.ofSeconds(10);

  private final Delivery delivery;
  private final ManualClock clock;
  private Runnable settle = () -> { };

  private DeliveryDriver(Delivery delivery, ManualClock clock) {
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A driver of {@code delivery}, whose clock is {@code clock}. */
  public static DeliveryDriver of(Delivery delivery, ManualClock clock) {
    return new DeliveryDriver(delivery, clock);
  }

  /** What to run after each move of the clock, before the delivery runs (default: nothing). */
  public DeliveryDriver settleWith(Runnable value) {
    this.settle = Objects.requireNonNull(value, "settle");
    return this;
  }

  public Delivery delivery() {
    return delivery;
  }

  /** Settles and runs every due transition. */
  public DeliveryDriver run() {
    settle.run();
    delivery.runPending();
    return this;
  }

  /** Advances the clock, then {@link #run()}. */
  public DeliveryDriver advance(Duration by) {
    clock.advance(by);
    return run();
  }

  /**
   * Advances the clock to the opening of the change window the application's active step waits
   * for, then runs; fails when no active step waits for a window.
   */
  public DeliveryDriver advanceToWindow(String applicationId) {
    ReleaseStatus status = delivery.status(applicationId);
    Instant opens = status.activeSteps().stream().map(s -> s.waitingFor().orElse(null))
        .filter(w -> w instanceof WaitingFor.Window).map(w -> ((WaitingFor.Window) w).opensAt())
        .flatMap(java.util.Optional::stream).findFirst()
        .orElseThrow(() -> new AssertionError("no active step of " + applicationId + " waits for a change window that opens:\n"
            + status.toText()));
    clock.advance(Duration.between(clock.instant(), opens));
    return run();
  }

  /**
   * Moves the clock forward by {@code total} in steps of at most {@code STEP} (10 s) and to each
   * of the delivery's wake-ups on the way, settling and running after each step: soak times pass,
   * simulated workloads become ready, retries and timeouts come due. Approvals it does not give.
   */
  public DeliveryDriver advanceThrough(Duration total) {
    Instant end = clock.instant().plus(total);
    run();
    while (clock.instant().isBefore(end)) {
      Instant next = clock.instant().plus(STEP);
      Instant wake = delivery.nextWakeUp().orElse(null);
      if (wake != null && wake.isAfter(clock.instant()) && wake.isBefore(next)) {
        next = wake;
      }
      if (next.isAfter(end)) {
        next = end;
      }
      clock.advance(Duration.between(clock.instant(), next));
      run();
    }
    return this;
  }

  /** Approves {@code step} as each subject in turn, then runs. */
  public DeliveryDriver approveAs(String applicationId, String step, Subject... subjects) {
    for (Subject s : subjects) {
      delivery.approve(applicationId, step, s, "approved in a test");
    }
    return run();
  }

  /** Rejects {@code step} as {@code subject}, then runs. */
  public DeliveryDriver rejectAs(String applicationId, String step, Subject subject, String comment) {
    delivery.reject(applicationId, step, subject, comment);
    return run();
  }

  /** The active steps of the application's running run. */
  public List<ReleaseStatus.StepStatus> activeSteps(String applicationId) {
    return delivery.status(applicationId).activeSteps();
  }

  /** Fails, showing the release status, unless {@code step} is among the active steps. */
  public DeliveryDriver assertActiveStep(String applicationId, String step) {
    ReleaseStatus status = delivery.status(applicationId);
    if (status.activeSteps().stream().noneMatch(s -> s.name().equals(step))) {
      throw new AssertionError("expected step " + step + " of " + applicationId + " to be active, but "
          + (status.activeSteps().isEmpty() ? "none is" : "the active steps are "
          + status.activeSteps().stream().map(ReleaseStatus.StepStatus::name).toList()) + ":\n" + status.toText());
    }
    return this;
  }

  /** Fails, showing the release status, unless the current run has finished in {@code phase}. */
  public DeliveryDriver assertFinished(String applicationId, ReleaseStatus.RunPhase phase) {
    ReleaseStatus status = delivery.status(applicationId);
    ReleaseStatus.RunPhase actual = status.run().map(ReleaseStatus.Run::phase).orElse(null);
    if (actual != phase) {
      throw new AssertionError("expected the run of " + applicationId + " to be " + phase + ", but it is " + actual
          + ":\n" + status.toText());
    }
    return this;
  }
}
