package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.EventSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several sources started and closed as one; if one fails to start, those started are closed. */
public final class CompositeSource<T> implements EventSource<T> {
  private static final Logger LOG = LoggerFactory.getLogger(CompositeSource.class);

  private final List<EventSource<T>> parts;

  public CompositeSource(List<EventSource<T>> parts) {
    this.parts = List.copyOf(parts);
  }

  @Override
  public void start(Context<T> context) {
    List<EventSource<T>> started = new ArrayList<>();
    try {
      for (EventSource<T> part : parts) {
        part.start(context);
        started.add(part);
      }
    } catch (RuntimeException e) {
      started.forEach(CompositeSource::closeQuietly);
      throw e;
    }
  }

  @Override
  public void close() {
    parts.forEach(CompositeSource::closeQuietly);
  }

  private static void closeQuietly(EventSource<?> source) {
    try {
      source.close();
    } catch (RuntimeException e) {
      LOG.warn("closing event source {} failed", source, e);
    }
  }

  @Override
  public String toString() {
    return "CompositeSource" + parts;
  }
}
