package io.orchestrationplane.core.reconcile.internal;

import io.orchestrationplane.core.reconcile.ManualTrigger;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** {@link ManualTrigger} forwarding to the controller it was started by. */
public final class ManualTriggerSource<T> implements ManualTrigger<T> {
  private volatile @Nullable Context<T> context;
  private volatile boolean closed;

  @Override
  public synchronized void start(Context<T> context) {
    if (this.context != null || closed) {
      throw new IllegalStateException("manual trigger was already started; give it to one controller");
    }
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public boolean trigger(T key) {
    Objects.requireNonNull(key, "key");
    Context<T> ctx = context;
    return ctx != null && !closed && ctx.enqueue(key);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "ManualTrigger";
  }
}
