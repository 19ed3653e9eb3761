package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.reconcile.EventSource;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps a driver's watch events to keys. */
public final class WatchSource<T> implements EventSource<T> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchSource.class);

  private final ClusterDriver driver;
  private final List<GroupKind> kinds;
  private final Function<? super WatchEvent, ? extends Collection<? extends T>> toKeys;
  private @Nullable AutoCloseable handle;
  private volatile boolean closed;

  public WatchSource(
      ClusterDriver driver,
      List<GroupKind> kinds,
      Function<? super WatchEvent, ? extends Collection<? extends T>> toKeys) {
    this.driver = Objects.requireNonNull(driver, "driver");
    this.kinds = List.copyOf(kinds);
    this.toKeys = Objects.requireNonNull(toKeys, "toKeys");
  }

  @Override
  public synchronized void start(Context<T> context) {
    if (handle != null || closed) {
      throw new IllegalStateException("watch source on " + driver.name() + " was already started");
    }
    handle = driver.watch(kinds, event -> deliver(context, event));
  }

  private void deliver(Context<T> context, WatchEvent event) {
    if (closed) {
      return;
    }
    Collection<? extends T> keys;
    try {
      keys = toKeys.apply(event);
    } catch (RuntimeException e) {
      LOG.warn("controller {}: mapping watch event {} {} on {} to keys failed; event skipped",
          context.controllerName(), event.type(), event.resource().key(event.cluster()), event.cluster(), e);
      return;
    }
    if (keys != null) {
      for (T key : keys) {
        if (key != null) {
          context.enqueue(key);
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (handle != null) {
      try {
        handle.close();
      } catch (Exception e) {
        LOG.warn("closing watch on {} failed", driver.name(), e);
      }
      handle = null;
    }
  }

  @Override
  public String toString() {
    return "WatchSource[" + driver.name() + ", " + kinds + "]";
  }
}
