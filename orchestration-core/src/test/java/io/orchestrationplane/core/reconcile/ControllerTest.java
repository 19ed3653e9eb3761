package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Controller behaviour, run deterministically: no worker threads, a manual clock. */
class ControllerTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final List<String> calls = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final List<Controller<String>> controllers = new ArrayList<>();

  @AfterEach
  void close() {
    controllers.forEach(Controller::close);
    scheduler.close();
  }

  /** A controller whose reconciler records the call and answers with {@code answer}. */
  private Controller<String> controller(Function<String, Result> answer) {
    return controller((key, ctx) -> {
      calls.add(key + "#" + ctx.attempt());
      return answer.apply(key);
    });
  }

  private Controller<String> controller(Reconciler<String> reconciler) {
    Controller<String> c = Controller.builder("test", reconciler)
        .workers(0)
        .clock(clock)
        .scheduler(scheduler)
        .listener(new RecordingListener())
        .build();
    controllers.add(c);
    c.start();
    return c;
  }

  private final class RecordingListener implements ControllerListener<String> {
    @Override
    public void reconcileStarted(String key, int attempt) {
      events.add("started " + key + " attempt " + attempt);
    }

    @Override
    public void reconcileFinished(String key, KeyStatus<String> status, Throwable error) {
      events.add("finished " + key + " " + status.outcome() + (error == null ? "" : " " + error.getMessage()));
    }

    @Override
    public void retryScheduled(String key, int attempt, Duration delay, String reason) {
      events.add("retry " + key + " attempt " + attempt + " in " + delay.toMillis() + "ms: " + reason);
    }

    @Override
    public void terminalError(String key, String reason) {
      events.add("terminal " + key + ": " + reason);
    }
  }

  @Test
  void aDoneKeyIsReconciledOnceAndNotScheduledAgain() {
    Controller<String> c = controller(key -> Result.done());
    c.enqueue("a");

    assertThat(c.runPending()).isEqualTo(1);
    clock.advance(Duration.ofHours(1));

    assertThat(c.runPending()).isZero();
    assertThat(calls).containsExactly("a#1");
    KeyStatus<String> status = c.status("a").orElseThrow();
    assertThat(status.outcome()).isEqualTo(Outcome.DONE);
    assertThat(status.nextRunAt()).isNull();
    assertThat(status.finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void requeueAfterRunsTheKeyAgainWhenTheDelayHasPassed() {
    Controller<String> c = controller(key -> Result.requeueAfter(Duration.ofSeconds(30)));
    c.enqueue("a");
    c.runPending();

    clock.advance(Duration.ofSeconds(29));
    assertThat(c.runPending()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(c.runPending()).isEqualTo(1);

    assertThat(calls).containsExactly("a#1", "a#1");
    assertThat(c.status("a").orElseThrow().nextRunDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retriesFollowTheBackoffSequenceAndStatusSaysWhenTheNextTryIs() {
    Controller<String> c = controller(key -> Result.retry("apply failed: conflict"));
    c.enqueue("a");
    c.runPending();

    for (long ms : new long[] {5, 10, 20}) {
      KeyStatus<String> status = c.status("a").orElseThrow();
      assertThat(status.retryDelay()).contains(Duration.ofMillis(ms));
      assertThat(status.nextRunIn(clock.instant())).contains(Duration.ofMillis(ms));
      clock.advance(Duration.ofMillis(ms - 1));
      assertThat(c.runPending()).as("not due before %dms", ms).isZero();
      clock.advance(Duration.ofMillis(1));
      assertThat(c.runPending()).isEqualTo(1);
    }

    assertThat(calls).containsExactly("a#1", "a#2", "a#3", "a#4");
    KeyStatus<String> status = c.status("a").orElseThrow();
    assertThat(status.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(status.failureReason()).contains("apply failed: conflict");
    assertThat(status.failures()).isEqualTo(4);
    assertThat(status.retryDelay()).contains(Duration.ofMillis(40));
    assertThat(events).contains("retry a attempt 5 in 40ms: apply failed: conflict");
  }

  @Test
  void aSuccessResetsTheBackoff() {
    Deque<Result> answers = new ArrayDeque<>(List.of(
        Result.retry("x"), Result.retry("x"), Result.done(), Result.retry("x")));
    Controller<String> c = controller(key -> answers.pop());
    c.enqueue("a");
    c.runPending();
    clock.advance(Duration.ofMillis(5));
    c.runPending();
    clock.advance(Duration.ofMillis(10));
    c.runPending(); // done
    c.enqueue("a");

    c.runPending(); // fails again

    assertThat(calls).containsExactly("a#1", "a#2", "a#3", "a#1");
    assertThat(c.status("a").orElseThrow().retryDelay()).contains(Duration.ofMillis(5));
  }

  @Test
  void aThrowingReconcilerIsRetriedAndTheControllerKeepsWorking() {
    Controller<String> c = controller((key, ctx) -> {
      calls.add(key + "#" + ctx.attempt());
      if (key.equals("bad") && ctx.attempt() < 3) {
        throw new IllegalStateException("driver unavailable (expected by the test)");
      }
      return Result.done();
    });
    c.enqueue("bad");
    c.enqueue("good");

    assertThat(c.runPending()).isEqualTo(2);
    KeyStatus<String> failed = c.status("bad").orElseThrow();
    assertThat(failed.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(failed.reason()).isEqualTo("IllegalStateException: driver unavailable (expected by the test)");
    assertThat(failed.retryDelay()).contains(Duration.ofMillis(5));

    clock.advance(Duration.ofMillis(5));
    c.runPending();
    clock.advance(Duration.ofMillis(10));
    c.runPending();

    assertThat(calls).containsExactly("bad#1", "good#1", "bad#2", "bad#3");
    assertThat(c.status("bad").orElseThrow().outcome()).isEqualTo(Outcome.DONE);
    assertThat(events).contains("finished bad ERROR driver unavailable (expected by the test)");
  }

  @Test
  void aNullResultCountsAsARetryableFailure() {
    Controller<String> c = controller(key -> null);
    c.enqueue("a");
    c.runPending();

    assertThat(c.status("a").orElseThrow().failureReason())
        .contains("reconciler returned null instead of a Result");
  }

  @Test
  void aTerminalErrorIsNotRetriedButShownInStatusUntilANewEventArrives() {
    Deque<Result> answers = new ArrayDeque<>(List.of(
        Result.terminal("spec.replicas: must be >= 0, was -1"), Result.done()));
    Controller<String> c = controller(key -> answers.pop());
    c.enqueue("a");
    c.runPending();

    clock.advance(Duration.ofHours(1));
    assertThat(c.runPending()).isZero();
    KeyStatus<String> status = c.status("a").orElseThrow();
    assertThat(status.outcome()).isEqualTo(Outcome.TERMINAL);
    assertThat(status.failed()).isTrue();
    assertThat(status.reason()).isEqualTo("spec.replicas: must be >= 0, was -1");
    assertThat(status.nextRunAt()).isNull();
    assertThat(events).contains("terminal a: spec.replicas: must be >= 0, was -1");

    c.enqueue("a"); // e.g. the user fixed the spec
    assertThat(c.runPending()).isEqualTo(1);
    assertThat(c.status("a").orElseThrow().outcome()).isEqualTo(Outcome.DONE);
  }

  @Test
  void eventsArrivingWhileAKeyIsReconciledCoalesceIntoOneFollowUpRun() {
    List<Controller<String>> self = new ArrayList<>();
    Controller<String> c = controller((key, ctx) -> {
      calls.add(key);
      if (calls.size() == 1) {
        for (int i = 0; i < 5; i++) {
          self.get(0).enqueue(key); // what watch events of its own writes would do
        }
      }
      return Result.done();
    });
    self.add(c);
    c.enqueue("a");

    assertThat(c.runPending()).isEqualTo(2);
    assertThat(calls).containsExactly("a", "a");
  }

  @Test
  void listenerSeesStartFinishAndRetryInOrder() {
    Deque<Result> answers = new ArrayDeque<>(List.of(Result.retry("not yet"), Result.done()));
    Controller<String> c = controller(key -> answers.pop());
    c.enqueue("a");
    c.runPending();
    clock.advance(Duration.ofMillis(5));
    c.runPending();

    assertThat(events).containsExactly(
        "started a attempt 1", "finished a RETRY", "retry a attempt 2 in 5ms: not yet",
        "started a attempt 2", "finished a DONE");
  }

  @Test
  void aThrowingListenerDoesNotDisturbTheController() {
    Controller<String> c = Controller.<String>builder("test", (key, ctx) -> Result.done())
        .workers(0).clock(clock).scheduler(scheduler)
        .listener(new ControllerListener<>() {
          @Override
          public void reconcileStarted(String key, int attempt) {
            throw new IllegalStateException("listener bug (expected by the test)");
          }
        })
        .build();
    controllers.add(c);
    c.enqueue("a");

    assertThat(c.runPending()).isEqualTo(1);
    assertThat(c.status("a").orElseThrow().outcome()).isEqualTo(Outcome.DONE);
  }

  @Test
  void forgetDropsStatusAndBackoff() {
    Controller<String> c = controller(key -> Result.retry("x"));
    c.enqueue("a");
    c.runPending();

    c.forget("a");

    assertThat(c.status("a")).isEmpty();
    assertThat(c.queue().failures("a")).isZero();
  }

  @Test
  void aForgetResultDropsTheKeysStatus() {
    Controller<String> c = controller(key -> key.equals("gone") ? Result.forget() : Result.done());
    c.enqueue("gone");
    c.enqueue("kept");
    c.runPending();

    assertThat(c.statuses()).containsOnlyKeys("kept");
  }

  @Test
  void runPendingIsOnlyForControllersWithoutWorkers() {
    try (Controller<String> threaded = Controller.<String>builder("threaded", (k, ctx) -> Result.done())
        .workers(1).clock(clock).scheduler(scheduler).build()) {
      assertThatThrownBy(threaded::runPending)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("workers(0)");
    }
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    Reconciler<String> r = (k, ctx) -> Result.done();
    assertThatThrownBy(() -> Controller.builder(" ", r))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("controller name must not be blank");
    assertThatThrownBy(() -> Controller.builder("c", r).workers(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be >= 0, was -1");
    assertThatThrownBy(() -> Controller.builder("c", r).closeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("closeTimeout must not be negative, was PT-1S");
  }

  @Test
  void resultFactoriesRejectMisuse() {
    assertThatThrownBy(() -> Result.requeueAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("requeueAfter must be positive, was PT0S");
    assertThatThrownBy(() -> Result.retry(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("reason must not be blank");
    assertThat(Result.terminal("bad").reason()).contains("bad");
    assertThat(Result.requeueAfter(Duration.ofSeconds(1)).requeueDelay()).contains(Duration.ofSeconds(1));
  }

  @Test
  void startingTwiceIsAnError() {
    Controller<String> c = controller(key -> Result.done());

    assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
  }
}
