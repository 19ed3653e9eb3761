package io.orchestrationplane.k8s;

import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Times this replica's hold on a Lease from the records it wrote itself, so that the write permit
 * lapses on its own once no renewal succeeded within the renew deadline, even when the thread that
 * should notice (fabric8's elector) is starved or blocked. The hold counts from the record's
 * {@code renewTime} (taken before the request was sent), never from when the answer arrived, so
 * it ends no later than any other replica could see the lease as expired
 * ({@code renewTime + leaseDuration}, and leaseDuration &gt; renewDeadline).
 *
 * <p>Thread-safe: written by the elector's threads, read by the plane's writers.
 */
final class LeaseFence {
  private static final long NOT_HELD = Long.MIN_VALUE;

  private final String identity;
  private final long renewDeadlineNanos;
  private final LongSupplier nanoTime;
  private final Supplier<ZonedDateTime> wallClock;
  private volatile long renewedAt = NOT_HELD;

  LeaseFence(String identity, Duration renewDeadline, LongSupplier nanoTime, Supplier<ZonedDateTime> wallClock) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.renewDeadlineNanos = renewDeadline.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
  }

  /** A record this replica has just written to the lease (create, renew, takeover or release). */
  void written(LeaderElectionRecord record) {
    if (!identity.equals(record.getHolderIdentity()) || record.getRenewTime() == null) {
      renewedAt = NOT_HELD; // released, or written for someone else
      return;
    }
    long age = Math.max(0, Duration.between(record.getRenewTime(), wallClock.get()).toNanos());
    renewedAt = nanoTime.getAsLong() - age;
  }

  /** Forgets the hold (this replica stepped down or closed). */
  void release() {
    renewedAt = NOT_HELD;
  }

  /** True while the last renewal this replica wrote is younger than the renew deadline. */
  boolean holds() {
    long at = renewedAt;
    return at != NOT_HELD && nanoTime.getAsLong() - at < renewDeadlineNanos;
  }
}
