package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final WorkQueue<String> queue = WorkQueue.create(WorkQueue.Config.defaults(), clock, scheduler);

  @AfterEach
  void closeScheduler() {
    scheduler.close();
  }

  private List<String> drainAndFinish() {
    List<String> out = new ArrayList<>();
    String key;
    while ((key = queue.poll()) != null) {
      out.add(key);
      queue.done(key);
    }
    return out;
  }

  @Test
  void handsOutKeysInTheOrderTheyWereFirstAdded() {
    queue.add("c");
    queue.add("a");
    queue.add("b");

    assertThat(drainAndFinish()).containsExactly("c", "a", "b");
  }

  @Test
  void pendingDuplicatesCollapseIntoOneEntryAtTheirFirstPosition() {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("a");

    assertThat(queue.size()).isEqualTo(2);
    assertThat(drainAndFinish()).containsExactly("a", "b");
  }

  @Test
  void addAllKeepsEveryGuaranteeOfAddInOneStep() {
    queue.add("b");
    String inFlight = queue.poll(); // "b" is being processed
    queue.add("x");

    assertThat(queue.addAll(List.of("a", "b", "x", "c", "a"))).isEqualTo(5);

    assertThat(queue.size()).isEqualTo(3); // x (already queued), a, c; b waits for done()
    queue.done(inFlight); // b's follow-up joins the end
    assertThat(drainAndFinish()).containsExactly("x", "a", "c", "b");
    assertThatThrownBy(() -> queue.addAll(java.util.Arrays.asList("d", null)))
        .isInstanceOf(NullPointerException.class);
    assertThat(queue.size()).isZero(); // nothing half-added
    queue.shutdown(WorkQueue.ShutdownMode.ABANDON);
    assertThat(queue.addAll(List.of("e"))).isZero();
  }

  @Test
  void aKeyBeingProcessedIsNotHandedOutAgainUntilDone() {
    queue.add("a");
    String first = queue.poll();

    queue.add("a");

    assertThat(first).isEqualTo("a");
    assertThat(queue.poll()).as("second worker must not get a key in flight").isNull();
    assertThat(queue.inFlight()).isEqualTo(1);
    queue.done("a");
    assertThat(queue.poll()).isEqualTo("a");
  }

  @Test
  void addsDuringProcessingCoalesceIntoExactlyOneFollowUp() {
    queue.add("a");
    String key = queue.poll();
    queue.add("a");
    queue.add("a");
    queue.add("a");

    queue.done(key);

    assertThat(drainAndFinish()).containsExactly("a");
  }

  @Test
  void aKeyNotAddedDuringProcessingIsNotQueuedAgain() {
    queue.add("a");
    queue.done(queue.poll());

    assertThat(queue.poll()).isNull();
  }

  @Test
  void doneForAKeyNotBeingProcessedIsRejected() {
    queue.add("a");

    assertThatThrownBy(() -> queue.done("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a")
        .hasMessageContaining("not being processed");
  }

  @Test
  void delayedAddQueuesTheKeyOnlyWhenTheClockReachesItsDueTime() {
    queue.addAfter("a", Duration.ofSeconds(5));

    clock.advance(Duration.ofMillis(4999));
    assertThat(queue.poll()).isNull();
    assertThat(queue.delayed()).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(queue.delayed()).isZero();
    assertThat(drainAndFinish()).containsExactly("a");
  }

  @Test
  void ofSeveralDelayedAddsForOneKeyTheEarliestWinsAndRunsOnce() {
    queue.addAfter("a", Duration.ofSeconds(10));
    queue.addAfter("a", Duration.ofSeconds(2));
    queue.addAfter("a", Duration.ofSeconds(5));

    clock.advance(Duration.ofSeconds(2));
    assertThat(drainAndFinish()).containsExactly("a");

    clock.advance(Duration.ofSeconds(20));
    assertThat(queue.poll()).as("the later delayed adds were superseded").isNull();
  }

  @Test
  void aDelayedAddOfAQueuedKeyCollapsesWithIt() {
    queue.add("a");
    queue.addAfter("a", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));

    assertThat(drainAndFinish()).containsExactly("a");
  }

  @Test
  void aNonPositiveDelayAddsAtOnce() {
    queue.addAfter("a", Duration.ZERO);
    queue.addAfter("b", Duration.ofSeconds(-1));

    assertThat(drainAndFinish()).containsExactly("a", "b");
  }

  @Test
  void backoffStartsAtFiveMillisecondsAndDoublesPerFailure() {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(queue.addRateLimited("a"));
    }

    assertThat(delays).containsExactly(
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(160));
    assertThat(queue.failures("a")).isEqualTo(6);
  }

  @Test
  void backoffIsCappedAtFiveMinutesEvenAfterVeryManyFailures() {
    Duration last = null;
    for (int i = 0; i < 2000; i++) {
      last = queue.addRateLimited("a");
    }

    assertThat(last).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void forgetResetsTheBackoffOfThatKeyOnly() {
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    queue.addRateLimited("b");
    queue.addRateLimited("b");

    queue.forget("a");

    assertThat(queue.failures("a")).isZero();
    assertThat(queue.addRateLimited("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(queue.addRateLimited("b")).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void aRateLimitedAddQueuesTheKeyAfterItsBackoff() {
    queue.addRateLimited("a");
    queue.addRateLimited("a"); // 10 ms; the 5 ms add comes due first and wins

    clock.advance(Duration.ofMillis(4));
    assertThat(queue.poll()).isNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(drainAndFinish()).containsExactly("a");
  }

  @Test
  void tokenBucketLetsABurstThroughThenSpacesRetriesByTheRate() {
    WorkQueue<String> limited = WorkQueue.create(
        WorkQueue.Config.custom().baseDelay(Duration.ofNanos(1)).rate(10).burst(3).build(), clock, scheduler);

    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(limited.addRateLimited("key-" + i));
    }

    assertThat(delays).containsExactly(
        Duration.ofNanos(1), Duration.ofNanos(1), Duration.ofNanos(1),
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
  }

  @Test
  void tokenBucketRefillsAsTheClockAdvancesUpToItsBurst() {
    WorkQueue<String> limited = WorkQueue.create(
        WorkQueue.Config.custom().baseDelay(Duration.ofNanos(1)).rate(10).burst(2).build(), clock, scheduler);
    limited.addRateLimited("k1");
    limited.addRateLimited("k2");

    clock.advance(Duration.ofMillis(100)); // one token back
    assertThat(limited.addRateLimited("k3")).isEqualTo(Duration.ofNanos(1));
    assertThat(limited.addRateLimited("k4")).isEqualTo(Duration.ofMillis(100));

    clock.advance(Duration.ofHours(1)); // full again, but never more than the burst
    assertThat(limited.addRateLimited("k5")).isEqualTo(Duration.ofNanos(1));
    assertThat(limited.addRateLimited("k6")).isEqualTo(Duration.ofNanos(1));
    assertThat(limited.addRateLimited("k7")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theLargerOfBackoffAndTokenBucketWaitApplies() {
    WorkQueue<String> limited = WorkQueue.create(
        WorkQueue.Config.custom().rate(10).burst(1).build(), clock, scheduler);

    assertThat(limited.addRateLimited("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limited.addRateLimited("b")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void abandonDropsQueuedKeysAndDelayedAddsAndRejectsNewOnes() {
    queue.add("a");
    queue.add("b");
    queue.addAfter("c", Duration.ofSeconds(1));

    queue.shutdown(WorkQueue.ShutdownMode.ABANDON);

    assertThat(queue.isShutdown()).isTrue();
    assertThat(queue.poll()).isNull();
    assertThat(queue.add("d")).isFalse();
    clock.advance(Duration.ofSeconds(5));
    assertThat(queue.poll()).isNull();
    assertThat(queue.delayed()).isZero();
  }

  @Test
  void abandonLetsTheInFlightKeyFinishWithoutAFollowUp() throws Exception {
    queue.add("a");
    String key = queue.poll();
    queue.add("a");

    queue.shutdown(WorkQueue.ShutdownMode.ABANDON);
    queue.done(key);

    assertThat(queue.take()).isNull();
  }

  @Test
  void drainHandsOutQueuedKeysAndFollowUpsThenReturnsNull() throws Exception {
    queue.add("a");
    queue.add("b");
    String inFlight = queue.poll();
    queue.add("a"); // follow-up of the in-flight key

    queue.shutdown(WorkQueue.ShutdownMode.DRAIN);
    assertThat(queue.add("c")).isFalse();

    assertThat(queue.take()).isEqualTo("b");
    queue.done("b");
    queue.done(inFlight);
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    assertThat(queue.take()).isNull();
  }

  @Test
  void takeWaitsForAKeyAddedByAnotherThread() throws Exception {
    AtomicReference<String> taken = new AtomicReference<>();
    Thread taker = new Thread(() -> {
      try {
        taken.set(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "work-queue-test-taker");
    taker.start();

    queue.add("a");
    taker.join(10_000);

    assertThat(taker.isAlive()).isFalse();
    assertThat(taken.get()).isEqualTo("a");
  }

  @Test
  void shutdownWakesAWaitingTaker() throws Exception {
    AtomicReference<String> taken = new AtomicReference<>("unset");
    Thread taker = new Thread(() -> {
      try {
        taken.set(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "work-queue-test-taker");
    taker.start();

    queue.shutdown(WorkQueue.ShutdownMode.DRAIN);
    taker.join(10_000);

    assertThat(taker.isAlive()).isFalse();
    assertThat(taken.get()).isNull();
  }

  @Test
  void awaitIdleReportsWhetherWorkIsLeft() throws Exception {
    queue.add("a");
    assertThat(queue.awaitIdle(Duration.ZERO)).isFalse();

    queue.done(queue.poll());

    assertThat(queue.awaitIdle(Duration.ZERO)).isTrue();
  }
}
