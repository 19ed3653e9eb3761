package io.orchestrationplane.testkit.internal;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Finds a fixture's part by cluster name, failing with the message every fixture gives: the
 * names it has, or that a test with several clusters must name one.
 */
public final class ClusterLookup {
  private ClusterLookup() {}

  /** The value of that cluster; {@link NoSuchElementException} naming the known clusters otherwise. */
  public static <T> T byName(Map<String, T> byName, String name) {
    T value = byName.get(Objects.requireNonNull(name, "name"));
    if (value == null) {
      throw new NoSuchElementException("no cluster named '" + name + "'; the environment has " + byName.keySet());
    }
    return value;
  }

  /** The value of the only cluster; {@link IllegalStateException} when there are several. */
  public static <T> T only(Map<String, T> byName) {
    onlyName(byName);
    return byName.values().iterator().next();
  }

  /** The name of the only cluster; {@link IllegalStateException} when there are several. */
  public static String onlyName(Map<String, ?> byName) {
    if (byName.size() != 1) {
      throw new IllegalStateException("the environment has " + byName.size() + " clusters " + byName.keySet()
          + "; name the one you mean");
    }
    return byName.keySet().iterator().next();
  }
}
