package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.cluster.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The events a watch delivered, in delivery order. Drivers deliver on their own threads, so tests
 * wait for the events they expect (the timeout only bounds a failing test) instead of assuming
 * they have arrived. Thread-safe.
 */
final class EventLog implements Consumer<WatchEvent> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<WatchEvent> events = new ArrayList<>();

  @Override
  public void accept(WatchEvent event) {
    lock.lock();
    try {
      events.add(event);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Every event so far. */
  List<WatchEvent> all() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /** The events so far of the object of that kind, namespace ("" when cluster-scoped) and name. */
  List<WatchEvent> of(String kind, String namespace, String name) {
    return all().stream().filter(e -> is(e, kind, namespace, name)).toList();
  }

  /** The event types so far of one object, in delivery order. */
  List<WatchEvent.Type> typesOf(String kind, String namespace, String name) {
    return of(kind, namespace, name).stream().map(WatchEvent::type).toList();
  }

  /**
   * Waits until {@code done} holds for the events so far and returns them; fails with an {@link
   * AssertionError} naming {@code what} and listing the events seen when {@code timeout} passes.
   */
  List<WatchEvent> await(Predicate<List<WatchEvent>> done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!done.test(List.copyOf(events))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("waited " + timeout + " for " + what + "; the watch delivered " + describe(events));
        }
        changed.await(left, TimeUnit.NANOSECONDS);
      }
      return List.copyOf(events);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the object's events so far end with {@code type}. */
  List<WatchEvent> awaitLast(WatchEvent.Type type, String kind, String namespace, String name, Duration timeout) {
    return await(seen -> {
      List<WatchEvent> mine = seen.stream().filter(e -> is(e, kind, namespace, name)).toList();
      return !mine.isEmpty() && mine.get(mine.size() - 1).type() == type;
    }, timeout, type + " of " + kind + " " + display(namespace, name));
  }

  static boolean is(WatchEvent e, String kind, String namespace, String name) {
    return e.resource().kind().equals(kind) && e.resource().namespace().equals(namespace)
        && e.resource().name().equals(name);
  }

  static String describe(List<WatchEvent> events) {
    if (events.isEmpty()) {
      return "no events";
    }
    return events.stream()
        .map(e -> e.type() + " " + e.resource().kind() + " " + display(e.resource().namespace(), e.resource().name())
            + "@" + e.resource().resourceVersion())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String display(String namespace, String name) {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
