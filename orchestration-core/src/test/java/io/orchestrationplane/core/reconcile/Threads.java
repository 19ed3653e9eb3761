package io.orchestrationplane.core.reconcile;

import java.util.List;

/** Live threads by name, to check that close() leaves none behind. */
final class Threads {
  private Threads() {}

  static List<String> named(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .sorted()
        .toList();
  }
}
