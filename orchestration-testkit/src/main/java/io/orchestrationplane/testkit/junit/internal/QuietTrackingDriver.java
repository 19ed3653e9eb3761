package io.orchestrationplane.testkit.junit.internal;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ForwardingClusterDriver;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Passes every call through and notes when its watches last delivered an event or were started,
 * so a fixture can wait until watches are quiet before closing them: kubernetes-mock-server's
 * event loop can hang when an informer is closed while a watch's replay is still being sent.
 */
public final class QuietTrackingDriver extends ForwardingClusterDriver {
  private final AtomicLong lastActivity;

  /** {@code lastActivity} receives {@link System#nanoTime()} of every watch start and event. */
  public QuietTrackingDriver(ClusterDriver delegate, AtomicLong lastActivity) {
    super(delegate);
    this.lastActivity = lastActivity;
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    lastActivity.set(System.nanoTime());
    AutoCloseable watch = delegate().watch(kinds, e -> {
      lastActivity.set(System.nanoTime());
      listener.accept(e);
    });
    lastActivity.set(System.nanoTime());
    return watch;
  }

  @Override
  public void close() {
    // the fixture closes the driver it wraps
  }

  @Override
  public String toString() {
    return delegate().toString();
  }
}
