package io.orchestrationplane.k8s;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.k8s.internal.EventCorrelator;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Records Kubernetes Events ({@code v1/Event}) about objects, as client-go's event recorder
 * does: an event equal to one recorded before (same object, type, reason and message) increments
 * that Event's {@code count} and {@code lastTimestamp} instead of creating another; once
 * {@code maxSimilar} events of the same object, type and reason with different messages came
 * within {@code window} of each other, that one and the following are combined into one Event
 * whose message starts with {@code (combined from similar events): }; and a token bucket per object (burst {@code burst},
 * one token back every {@code refill}) drops events beyond it. The defaults are client-go's: 25,
 * one per 5 minutes, 10 similar events within 10 minutes. A failed write is logged, never
 * thrown: events are best effort.
 *
 * <p>Messages must not carry secret values; the plane's own event messages name objects and
 * fields only, and messages longer than 1,024 characters are cut, as the API server would refuse
 * them. Thread-safe.
 *
 * <pre>{@code
 * EventRecorder events = EventRecorder.builder(cluster, "orchestration-plane").build();
 * events.record(applicationObject, EventRecorder.Type.NORMAL, "Applied", "3 objects written");
 * }</pre>
 */
public final class EventRecorder {
  /** An Event's {@code type}. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String value;

    Type(String value) {
      this.value = value;
    }

    /** As Kubernetes writes it: {@code Normal} or {@code Warning}. */
    public String value() {
      return value;
    }
  }

  private final EventCorrelator correlator;

  private EventRecorder(Builder b) {
    this.correlator = new EventCorrelator(b.cluster, b.component, b.clock, b.burst, b.refill, b.maxSimilar, b.window);
  }

  /** A recorder writing to {@code cluster} as {@code component} (the Event's {@code source.component}). */
  public static Builder builder(ClusterDriver cluster, String component) {
    return new Builder(cluster, component);
  }

  /** Settings of an {@link EventRecorder}. */
  public static final class Builder {
    private final ClusterDriver cluster;
    private final String component;
    private Clock clock = Clock.systemUTC();
    private int burst = 25;
    private Duration refill = Duration.ofMinutes(5);
    private int maxSimilar = 10;
    private Duration window = Duration.ofMinutes(10);

    private Builder(ClusterDriver cluster, String component) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      if (component == null || component.isBlank()) {
        throw new IllegalArgumentException("component must not be blank");
      }
      this.component = component;
    }

    /** The clock of timestamps, aggregation windows and the spam filter. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Spam filter: events per object at once (default 25), and one more every {@code refill} (default 5 min). */
    public Builder spamFilter(int burst, Duration refill) {
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be >= 1, was " + burst);
      }
      if (refill.isNegative() || refill.isZero()) {
        throw new IllegalArgumentException("refill must be positive, was " + refill);
      }
      this.burst = burst;
      this.refill = refill;
      return this;
    }

    /** Aggregation: similar events (default 10) within {@code window} (default 10 min) before combining. */
    public Builder aggregation(int maxSimilar, Duration window) {
      if (maxSimilar < 1) {
        throw new IllegalArgumentException("maxSimilar must be >= 1, was " + maxSimilar);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive, was " + window);
      }
      this.maxSimilar = maxSimilar;
      this.window = window;
      return this;
    }

    public EventRecorder build() {
      return new EventRecorder(this);
    }
  }

  /**
   * Records an event about {@code involved} (a live object: its uid and resourceVersion are
   * referenced). Returns false when the spam filter dropped it or the write failed.
   */
  public boolean record(Resource involved, Type type, String reason, String message) {
    Objects.requireNonNull(involved, "involved");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    return correlator.record(involved, type.value(), reason, message);
  }
}
