package io.orchestrationplane.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue tells its listener what client-go's workqueue tells its metrics provider, with the queue's clock. */
class WorkQueueListenerTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final List<String> heard = new ArrayList<>();
  private final WorkQueue<String> queue = WorkQueue.create(WorkQueue.Config.defaults(), clock, scheduler,
      new WorkQueue.Listener<>() {
        @Override
        public void added(String key, int depth) {
          heard.add("added " + key + " depth " + depth);
        }

        @Override
        public void handedOut(String key, Duration queued, int depth) {
          heard.add("handedOut " + key + " after " + queued.toMillis() + "ms depth " + depth);
        }

        @Override
        public void done(String key, Duration worked) {
          heard.add("done " + key + " after " + worked.toMillis() + "ms");
        }

        @Override
        public void retried(String key) {
          heard.add("retried " + key);
        }
      });

  @Test
  void addsHandOutsWorkAndRetriesAreToldWithWaitsDepthsAndDurations() {
    queue.add("a");
    queue.add("a"); // a duplicate of a waiting key is no add
    queue.add("b");
    clock.advance(Duration.ofMillis(2000));
    assertThat(queue.poll()).isEqualTo("a");
    queue.add("a"); // added again while worked on: counts in the depth
    clock.advance(Duration.ofMillis(300));
    queue.done("a");
    queue.addRateLimited("b");
    assertThat(heard).containsExactly(
        "added a depth 1",
        "added b depth 2",
        "handedOut a after 2000ms depth 1",
        "added a depth 2",
        "done a after 300ms",
        "retried b");
  }

  @Test
  void aDelayedAddIsToldWhenItComesDue() {
    queue.addAfter("c", Duration.ofSeconds(5));
    assertThat(heard).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    assertThat(heard).containsExactly("added c depth 1");
  }
}
