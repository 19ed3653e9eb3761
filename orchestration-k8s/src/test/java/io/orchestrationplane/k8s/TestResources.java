package io.orchestrationplane.k8s;

import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Small helpers shared by the ITs. */
final class TestResources {
  private TestResources() {}

  static Resource configMap(String namespace, String name, String key, String value) {
    return Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s, labels: {app: demo}}
        data: {%s: "%s"}
        """.formatted(name, namespace, key, value));
  }

  /**
   * Takes events until one matches, failing after the timeout. Events arrive on informer
   * threads, so tests wait for them instead of assuming an order by chance.
   */
  static WatchEvent awaitEvent(BlockingQueue<WatchEvent> events, Predicate<WatchEvent> wanted, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new AssertionError("no matching watch event within " + timeout);
      }
      WatchEvent e = events.poll(left, TimeUnit.MILLISECONDS);
      if (e != null && wanted.test(e)) {
        return e;
      }
    }
  }

  /** Drains events until none arrives for {@code quiet}: the mock must not be closed mid-replay. */
  static List<WatchEvent> awaitQuiet(BlockingQueue<WatchEvent> events, Duration quiet) throws InterruptedException {
    java.util.ArrayList<WatchEvent> seen = new java.util.ArrayList<>();
    WatchEvent e;
    while ((e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      seen.add(e);
    }
    return seen;
  }
}
