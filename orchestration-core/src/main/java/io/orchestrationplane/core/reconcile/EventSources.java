package io.orchestrationplane.core.reconcile;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.reconcile.internal.CompositeSource;
import io.orchestrationplane.core.reconcile.internal.ManualTriggerSource;
import io.orchestrationplane.core.reconcile.internal.ResyncSource;
import io.orchestrationplane.core.reconcile.internal.WatchSource;
import io.orchestrationplane.core.resource.GroupKind;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in {@link EventSource}s: cluster watches mapped to keys, periodic resync, manual
 * triggers.
 *
 * <pre>{@code
 * Controller.builder("applications", reconciler)
 *     .eventSource(EventSources.watch(cluster, kinds,
 *         EventSources.byLabel("orchestrationplane.io/application", AppKey::parse)))
 *     .eventSource(EventSources.resync(apps::keys))
 *     .build();
 * }</pre>
 */
public final class EventSources {
  /** 10 minutes. */
  public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofMinutes(10);
  /** Up to 10% of the period is taken off each interval, so controllers do not resync in step. */
  public static final double DEFAULT_RESYNC_JITTER = 0.1;

  private EventSources() {}

  /**
   * Watches {@code kinds} (every kind when empty) on {@code driver} and queues the keys {@code
   * toKeys} maps each event to (none, one or many). A mapper that throws is logged and the event
   * skipped. The driver's initial ADDED events for existing objects are mapped too.
   */
  public static <T> EventSource<T> watch(
      ClusterDriver driver,
      Collection<GroupKind> kinds,
      Function<? super WatchEvent, ? extends Collection<? extends T>> toKeys) {
    return new WatchSource<>(driver, List.copyOf(kinds), toKeys);
  }

  /**
   * Watches {@code kinds} on every cluster of {@code clusters} (as registered now), like {@link
   * #watch(ClusterDriver, Collection, Function)} per cluster; {@link WatchEvent#cluster()} tells
   * the mapper where an event came from.
   */
  public static <T> EventSource<T> watch(
      ClusterRegistry clusters,
      Collection<GroupKind> kinds,
      Function<? super WatchEvent, ? extends Collection<? extends T>> toKeys) {
    List<GroupKind> kindList = List.copyOf(kinds);
    List<EventSource<T>> perCluster = clusters.entries().stream()
        .<EventSource<T>>map(e -> new WatchSource<>(e.driver(), kindList, toKeys))
        .toList();
    return new CompositeSource<>(perCluster);
  }

  /**
   * A watch mapper reading one label of the event's object: objects without the label map to
   * nothing, others to {@code toKey(labelValue)}. For the plane's ownership label {@code
   * orchestrationplane.io/application: <namespace>.<name>}.
   */
  public static <T> Function<WatchEvent, List<T>> byLabel(
      String label, Function<String, ? extends T> toKey) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(toKey, "toKey");
    return event -> {
      String value = event.resource().label(label);
      if (value == null || value.isEmpty()) {
        return List.of();
      }
      T key = toKey.apply(value);
      return key == null ? List.of() : List.of(key);
    };
  }

  /**
   * Queues every key {@code keys} returns each {@link #DEFAULT_RESYNC_PERIOD}, jittered by
   * {@link #DEFAULT_RESYNC_JITTER} with a random seeded from the controller's name, so runs are
   * reproducible.
   */
  public static <T> EventSource<T> resync(Supplier<? extends Collection<? extends T>> keys) {
    return new ResyncSource<>(DEFAULT_RESYNC_PERIOD, DEFAULT_RESYNC_JITTER, null, keys);
  }

  /** Like {@link #resync(Supplier)} with another period. */
  public static <T> EventSource<T> resync(
      Duration period, Supplier<? extends Collection<? extends T>> keys) {
    return new ResyncSource<>(period, DEFAULT_RESYNC_JITTER, null, keys);
  }

  /**
   * Queues every key {@code keys} returns, repeatedly. Each interval is {@code period × (1 −
   * jitter × r)} with {@code r} drawn from {@code random} in [0, 1): never longer than the
   * period, so advancing a clock by one period always brings exactly one resync.
   *
   * @param jitter fraction of the period in [0, 1)
   */
  public static <T> EventSource<T> resync(
      Duration period, double jitter, Random random, Supplier<? extends Collection<? extends T>> keys) {
    return new ResyncSource<>(period, jitter, Objects.requireNonNull(random, "random"), keys);
  }

  /**
   * A source that starts a fresh one from {@code factory}, and when that fails to start (say a
   * watch on an unreachable cluster) logs it and tries again later (1 s doubling to 1 min) instead
   * of failing the controller's start.
   */
  public static <T> EventSource<T> retrying(Supplier<? extends EventSource<T>> factory, String description) {
    return new io.orchestrationplane.core.reconcile.internal.RetryingSource<>(factory, description,
        Duration.ofSeconds(1), Duration.ofMinutes(1));
  }

  /** A source fired by hand with {@link ManualTrigger#trigger}. */
  public static <T> ManualTrigger<T> manual() {
    return new ManualTriggerSource<>();
  }
}
