package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final ManualClock clock = ManualClock.create();

  @Test
  void manualSchedulerRunsTasksWhenTheClockReachesThemInDueOrder() {
    List<String> ran = new ArrayList<>();
    try (Scheduler scheduler = Scheduler.manual(clock)) {
      scheduler.schedule(() -> ran.add("3s"), Duration.ofSeconds(3));
      scheduler.schedule(() -> ran.add("1s"), Duration.ofSeconds(1));
      scheduler.schedule(() -> ran.add("1s again"), Duration.ofSeconds(1));

      clock.advance(Duration.ofMillis(999));
      assertThat(ran).isEmpty();

      clock.advance(Duration.ofSeconds(5));
      assertThat(ran).containsExactly("1s", "1s again", "3s");
    }
  }

  @Test
  void aTaskScheduledFromATaskIsTimedFromTheClockNotFromItsParentsDueTime() {
    List<String> ran = new ArrayList<>();
    try (Scheduler scheduler = Scheduler.manual(clock)) {
      scheduler.schedule(() -> {
        ran.add("outer");
        scheduler.schedule(() -> ran.add("inner, due"), Duration.ofSeconds(1));
        scheduler.schedule(() -> ran.add("inner, later"), Duration.ofMinutes(1));
      }, Duration.ofSeconds(1));

      clock.advance(Duration.ofSeconds(10)); // the inner task is due at 11s by the clock: not yet
      assertThat(ran).containsExactly("outer");
      clock.advance(Duration.ofSeconds(1));
      assertThat(ran).containsExactly("outer", "inner, due");
    }
  }

  @Test
  void aCancelledTaskNeverRuns() {
    List<String> ran = new ArrayList<>();
    try (Scheduler scheduler = Scheduler.manual(clock)) {
      Scheduler.Task task = scheduler.schedule(() -> ran.add("x"), Duration.ofSeconds(1));

      assertThat(task.cancel()).isTrue();
      assertThat(task.cancel()).isFalse();
      clock.advance(Duration.ofSeconds(2));

      assertThat(ran).isEmpty();
    }
  }

  @Test
  void aFailingTaskDoesNotStopLaterOnes() {
    List<String> ran = new ArrayList<>();
    try (Scheduler scheduler = Scheduler.manual(clock)) {
      scheduler.schedule(() -> {
        throw new IllegalStateException("boom (expected by the test)");
      }, Duration.ofSeconds(1));
      scheduler.schedule(() -> ran.add("after"), Duration.ofSeconds(1));

      clock.advance(Duration.ofSeconds(1));

      assertThat(ran).containsExactly("after");
    }
  }

  @Test
  void aClosedManualSchedulerRunsNothingAndStopsListeningToTheClock() {
    List<String> ran = new ArrayList<>();
    Scheduler scheduler = Scheduler.manual(clock);
    scheduler.schedule(() -> ran.add("before close"), Duration.ofSeconds(1));

    scheduler.close();
    Scheduler.Task late = scheduler.schedule(() -> ran.add("after close"), Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(2));

    assertThat(ran).isEmpty();
    assertThat(late.cancel()).isFalse();
  }

  @Test
  void threadedSchedulerRunsTasksOnItsNamedThreadAndCloseEndsIt() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    List<String> threadNames = new ArrayList<>();
    Scheduler scheduler = Scheduler.threaded("scheduler-test-thread");

    scheduler.schedule(() -> {
      synchronized (threadNames) {
        threadNames.add(Thread.currentThread().getName());
      }
      ran.countDown();
    }, Duration.ZERO);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    scheduler.close();

    synchronized (threadNames) {
      assertThat(threadNames).containsExactly("scheduler-test-thread");
    }
    assertThat(Threads.named("scheduler-test-thread")).isEmpty();
    assertThat(scheduler.schedule(() -> {}, Duration.ZERO).cancel()).isFalse();
  }
}
