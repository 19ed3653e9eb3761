package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight producers add 100,000 events over 1,000 keys while four workers reconcile: no key may
 * ever be reconciled on two threads at once, and every key's last event must be seen.
 */
class ControllerStressTest {
  private static final int PRODUCERS = 8;
  private static final int EVENTS = 100_000;
  private static final int KEYS = 1_000;
  private static final int WORKERS = 4;

  @Test
  @Timeout(60)
  void noKeyIsReconciledConcurrentlyAndEveryKeysLastEventIsProcessed() throws Exception {
    // Per key: the number of its latest event, and the latest event number a reconcile has seen.
    AtomicLongArray lastEvent = new AtomicLongArray(KEYS);
    AtomicLongArray lastSeen = new AtomicLongArray(KEYS);
    AtomicReferenceArray<AtomicBoolean> running = new AtomicReferenceArray<>(KEYS);
    for (int k = 0; k < KEYS; k++) {
      running.set(k, new AtomicBoolean());
    }
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger reconciles = new AtomicInteger();

    Controller<Integer> controller = Controller.<Integer>builder("stress", (key, ctx) -> {
      if (!running.get(key).compareAndSet(false, true)) {
        overlaps.incrementAndGet();
      }
      try {
        reconciles.incrementAndGet();
        // Read the latest event after being handed the key: an event added after this read
        // must cause another run, or the final check below fails.
        lastSeen.set(key, lastEvent.get(key));
        // Stay in the reconcile a little, so an unsafe queue would let another worker in.
        for (int i = 0; i < 3; i++) {
          Thread.yield();
        }
        return Result.done();
      } finally {
        running.get(key).set(false);
      }
    }).workers(WORKERS).build();
    controller.start();

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < EVENTS / PRODUCERS; i++) {
          int key = (i * 7 + producer * 131) % KEYS;
          lastEvent.incrementAndGet(key);
          controller.enqueue(key);
        }
      }, "stress-producer-" + p);
      producers.add(t);
      t.start();
    }
    go.countDown();
    for (Thread t : producers) {
      t.join();
    }

    boolean idle = controller.awaitIdle(Duration.ofSeconds(30));
    controller.close();

    assertThat(idle).as("queue drained").isTrue();
    assertThat(overlaps).as("keys reconciled on two threads at once").hasValue(0);
    long total = 0;
    for (int k = 0; k < KEYS; k++) {
      total += lastEvent.get(k);
      assertThat(lastSeen.get(k)).as("last event of key %d", k).isEqualTo(lastEvent.get(k));
    }
    assertThat(total).isEqualTo(EVENTS);
    assertThat(reconciles.get()).isBetween(KEYS, EVENTS);
    assertThat(Threads.named("stress-")).isEmpty();
  }
}
