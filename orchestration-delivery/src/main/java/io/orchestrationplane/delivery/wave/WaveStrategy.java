package io.orchestrationplane.delivery.wave;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a change placed on many clusters rolls out, after Open Cluster Management's {@code
 * ProgressivePerGroup} rollout strategy:
 * <ul>
 *   <li><b>groups</b>: explicit {@link ClusterGroup}s in order, or one group per value of a
 *       cluster label ({@link Builder#groupByLabel}); clusters no group takes form a last group
 *       {@code others};</li>
 *   <li><b>maxConcurrency</b>: each group is split into waves of at most this many clusters
 *       (default: the whole group is one wave);</li>
 *   <li><b>maxFailures</b>: how many clusters of a group may fail or time out (count, or
 *       percentage of the group rounded down; default 0) before the rollout stops;</li>
 *   <li><b>minSuccessTime</b>: how long every cluster of a wave must have been healthy before the
 *       next wave starts (default 0);</li>
 *   <li><b>progressDeadline</b>: how long a cluster may take to become healthy after its wave
 *       started before it counts as TIMED_OUT, a failure (default none: wait indefinitely).</li>
 * </ul>
 * Immutable; built with {@link #builder()}.
 */
public final class WaveStrategy {
  private final List<ClusterGroup> groups;
  private final @Nullable String groupLabel;
  private final List<String> labelOrder;
  private final @Nullable Threshold maxConcurrency;
  private final Threshold maxFailures;
  private final Duration minSuccessTime;
  private final @Nullable Duration progressDeadline;

  private WaveStrategy(Builder b) {
    this.groups = List.copyOf(b.groups);
    this.groupLabel = b.groupLabel;
    this.labelOrder = List.copyOf(b.labelOrder);
    this.maxConcurrency = b.maxConcurrency;
    this.maxFailures = b.maxFailures;
    this.minSuccessTime = b.minSuccessTime;
    this.progressDeadline = b.progressDeadline;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The explicit groups, in order (empty when grouping by label or when every cluster is one group). */
  public List<ClusterGroup> groups() {
    return groups;
  }

  /** The label whose values group the clusters, if grouping by label. */
  public Optional<String> groupLabel() {
    return Optional.ofNullable(groupLabel);
  }

  /** The label values rolled out first, in this order (the others follow, sorted). */
  public List<String> labelOrder() {
    return labelOrder;
  }

  /** At most how many clusters of a group one wave holds; empty: the whole group. */
  public Optional<Threshold> maxConcurrency() {
    return Optional.ofNullable(maxConcurrency);
  }

  public Threshold maxFailures() {
    return maxFailures;
  }

  public Duration minSuccessTime() {
    return minSuccessTime;
  }

  /** How long a cluster may take to become healthy; empty: no deadline. */
  public Optional<Duration> progressDeadline() {
    return Optional.ofNullable(progressDeadline);
  }

  @Override
  public String toString() {
    return "WaveStrategy[groups=" + (groupLabel != null ? "by label " + groupLabel : groups.stream()
        .map(ClusterGroup::name).toList()) + ", maxConcurrency=" + (maxConcurrency == null ? "group" : maxConcurrency)
        + ", maxFailures=" + maxFailures + ", minSuccessTime=" + minSuccessTime + ", progressDeadline="
        + (progressDeadline == null ? "none" : progressDeadline) + "]";
  }

  /** Builds a {@link WaveStrategy}; each setter rejects a bad value at once. */
  public static final class Builder {
    private final List<ClusterGroup> groups = new ArrayList<>();
    private @Nullable String groupLabel;
    private final List<String> labelOrder = new ArrayList<>();
    private @Nullable Threshold maxConcurrency;
    private Threshold maxFailures = Threshold.count(0);
    private Duration minSuccessTime = Duration.ZERO;
    private @Nullable Duration progressDeadline;

    private Builder() {}

    /** Adds an explicit group, rolled out after the ones added before. */
    public Builder group(ClusterGroup group) {
      if (groupLabel != null) {
        throw new IllegalStateException("groups are by label " + groupLabel + "; explicit groups cannot be added too");
      }
      if (groups.stream().anyMatch(g -> g.name().equals(group.name()))) {
        throw new IllegalArgumentException("two cluster groups are named '" + group.name() + "'");
      }
      groups.add(Objects.requireNonNull(group, "group"));
      return this;
    }

    /**
     * One group per value of the cluster label {@code key}: the values in {@code order} first, in
     * that order, then the other values sorted; clusters without the label last.
     */
    public Builder groupByLabel(String key, String... order) {
      if (!groups.isEmpty()) {
        throw new IllegalStateException("explicit groups were added; clusters cannot be grouped by label too");
      }
      if (Objects.requireNonNull(key, "key").isBlank()) {
        throw new IllegalArgumentException("groupByLabel needs a label key");
      }
      this.groupLabel = key;
      this.labelOrder.clear();
      this.labelOrder.addAll(List.of(order));
      return this;
    }

    /** At most this many clusters of a group per wave (a count of at least 1, or a percentage: at least one cluster). */
    public Builder maxConcurrency(Threshold value) {
      if (!value.percent() && value.value() < 1) {
        throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + value);
      }
      if (value.percent() && value.value() < 1) {
        throw new IllegalArgumentException("maxConcurrency must be at least 1%, was " + value);
      }
      this.maxConcurrency = value;
      return this;
    }

    /** {@link #maxConcurrency(Threshold)} of {@code "2"} or {@code "25%"}. */
    public Builder maxConcurrency(String value) {
      return maxConcurrency(Threshold.parse(value));
    }

    /** How many clusters of a group may fail before the rollout stops (default 0). */
    public Builder maxFailures(Threshold value) {
      this.maxFailures = Objects.requireNonNull(value, "maxFailures");
      return this;
    }

    /** {@link #maxFailures(Threshold)} of {@code "1"} or {@code "50%"}. */
    public Builder maxFailures(String value) {
      return maxFailures(Threshold.parse(value));
    }

    /** How long a wave must be healthy before the next starts (default 0). */
    public Builder minSuccessTime(Duration value) {
      if (Objects.requireNonNull(value, "minSuccessTime").isNegative()) {
        throw new IllegalArgumentException("minSuccessTime must not be negative, was " + value);
      }
      this.minSuccessTime = value;
      return this;
    }

    /** How long a cluster may take to become healthy before it counts as TIMED_OUT (default: no deadline). */
    public Builder progressDeadline(Duration value) {
      if (Objects.requireNonNull(value, "progressDeadline").isNegative() || value.isZero()) {
        throw new IllegalArgumentException("progressDeadline must be positive, was " + value);
      }
      this.progressDeadline = value;
      return this;
    }

    public WaveStrategy build() {
      return new WaveStrategy(this);
    }
  }
}
