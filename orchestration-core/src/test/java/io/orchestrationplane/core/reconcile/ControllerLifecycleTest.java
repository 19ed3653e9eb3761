package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Start and close of a controller with real worker threads. */
class ControllerLifecycleTest {
  private final ManualClock clock = ManualClock.create();

  @Test
  void workersReconcileQueuedKeysAndCloseLeavesNoThreadsBehind() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Controller<String> c = Controller.<String>builder("lifecycle-threads", (key, ctx) -> {
      seen.add(key + " on " + Thread.currentThread().getName().replaceAll("\\d+$", "N"));
      return Result.done();
    }).workers(3).clock(clock).build(); // the controller creates and owns its scheduler
    c.start();
    assertThat(Threads.named("lifecycle-threads")).containsExactly(
        "lifecycle-threads-worker-0", "lifecycle-threads-worker-1", "lifecycle-threads-worker-2");

    c.enqueue("a");
    c.enqueue("b");
    c.enqueueAfter("c", Duration.ofHours(1)); // starts the owned scheduler's thread
    assertThat(c.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(Threads.named("lifecycle-threads")).contains("lifecycle-threads-scheduler");
    c.close();

    assertThat(seen).containsExactlyInAnyOrder(
        "a on lifecycle-threads-worker-N", "b on lifecycle-threads-worker-N");
    assertThat(Threads.named("lifecycle-threads")).isEmpty();
  }

  @Test
  void closeLetsAnInFlightReconcileFinishBeforeReturning() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger order = new AtomicInteger();
    AtomicInteger reconcileFinished = new AtomicInteger();
    AtomicBoolean interrupted = new AtomicBoolean();
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-inflight", (key, ctx) -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      reconcileFinished.set(order.incrementAndGet());
      return Result.done();
    }).workers(1).clock(clock).scheduler(scheduler).closeTimeout(Duration.ofSeconds(30)).build();
    c.start();
    c.enqueue("slow");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    AtomicInteger closeReturned = new AtomicInteger();
    Thread closer = new Thread(() -> {
      c.close();
      closeReturned.set(order.incrementAndGet());
    }, "lifecycle-inflight-closer");
    closer.start();
    while (!c.queue().isShutdown()) {
      Thread.onSpinWait(); // close() has begun: intake is stopped
    }
    assertThat(c.enqueue("late")).isFalse();
    release.countDown();
    closer.join(10_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(interrupted).isFalse();
    assertThat(reconcileFinished.get()).isPositive().isLessThan(closeReturned.get());
    assertThat(c.status("slow").orElseThrow().outcome()).isEqualTo(Outcome.DONE);
    assertThat(Threads.named("lifecycle-inflight-worker")).isEmpty();
    scheduler.close();
  }

  @Test
  void aReconcileStillRunningAfterTheCloseTimeoutIsInterrupted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-stuck", (key, ctx) -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // never released
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return Result.done();
    }).workers(1).clock(clock).scheduler(scheduler).closeTimeout(Duration.ofMillis(20)).build();
    c.start();
    c.enqueue("stuck");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    c.close();

    assertThat(interrupted.getCount()).isZero();
    assertThat(Threads.named("lifecycle-stuck")).isEmpty();
    scheduler.close();
  }

  @Test
  void closingWithDrainReconcilesTheKeysStillQueued() {
    List<String> seen = new ArrayList<>();
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-drain", (key, ctx) -> {
      seen.add(key);
      return Result.done();
    }).workers(0).clock(clock).scheduler(scheduler).onClose(WorkQueue.ShutdownMode.DRAIN).build();
    c.start();
    c.enqueue("a");
    c.enqueue("b");

    c.close();
    c.runPending();

    assertThat(seen).containsExactly("a", "b");
    scheduler.close();
  }

  @Test
  void closingWithDrainLetsWorkersFinishTheQueueBeforeTheyEnd() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = new CountDownLatch(1);
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-drain-workers", (key, ctx) -> {
      release.await();
      seen.add(key);
      return Result.done();
    }).workers(1).clock(clock).scheduler(scheduler).onClose(WorkQueue.ShutdownMode.DRAIN).build();
    c.start();
    for (int i = 0; i < 5; i++) {
      c.enqueue("k" + i);
    }

    Thread closer = new Thread(c::close, "lifecycle-drain-closer");
    closer.start();
    while (!c.queue().isShutdown()) {
      Thread.onSpinWait();
    }
    release.countDown();
    closer.join(10_000);

    assertThat(seen).containsExactly("k0", "k1", "k2", "k3", "k4");
    assertThat(Threads.named("lifecycle-drain-workers")).isEmpty();
    scheduler.close();
  }

  @Test
  void closeIsIdempotentAndAClosedControllerCannotStart() {
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-twice", (key, ctx) -> Result.done())
        .workers(0).clock(clock).scheduler(scheduler).build();

    c.close();
    c.close();

    assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(c.enqueue("a")).isFalse();
    scheduler.close();
  }

  @Test
  void anEventSourceThatFailsToStartClosesTheControllerAndItsThreads() {
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-badsource", (key, ctx) -> Result.done())
        .workers(2).clock(clock).scheduler(scheduler)
        .eventSource(new io.orchestrationplane.core.reconcile.EventSource<>() {
          @Override
          public void start(Context<String> context) {
            throw new IllegalStateException("cannot connect (expected by the test)");
          }

          @Override
          public void close() {}
        })
        .build();

    assertThatThrownBy(c::start).hasMessage("cannot connect (expected by the test)");

    assertThat(c.enqueue("a")).isFalse();
    assertThat(Threads.named("lifecycle-badsource")).isEmpty();
    scheduler.close();
  }

  @Test
  void aReconcilerMayCloseItsOwnController() throws Exception {
    Scheduler scheduler = Scheduler.manual(clock);
    List<Controller<String>> self = new ArrayList<>();
    CountDownLatch closed = new CountDownLatch(1);
    Controller<String> c = Controller.<String>builder("lifecycle-selfclose", (key, ctx) -> {
      self.get(0).close();
      closed.countDown();
      return Result.done();
    }).workers(2).clock(clock).scheduler(scheduler).closeTimeout(Duration.ofSeconds(30)).build();
    self.add(c);
    c.start();

    c.enqueue("stop");

    assertThat(closed.await(10, TimeUnit.SECONDS)).as("close() from a worker returned").isTrue();
    c.close(); // idempotent; the worker that closed has returned from its last reconcile
    scheduler.close();
  }

  @Test
  void aSchedulerGivenToTheBuilderStaysOpenAfterClose() {
    List<String> ran = new ArrayList<>();
    Scheduler scheduler = Scheduler.manual(clock);
    Controller<String> c = Controller.<String>builder("lifecycle-shared", (key, ctx) -> Result.done())
        .workers(0).clock(clock).scheduler(scheduler).build();
    c.start();

    c.close();
    scheduler.schedule(() -> ran.add("still works"), Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("still works");
    scheduler.close();
  }
}
