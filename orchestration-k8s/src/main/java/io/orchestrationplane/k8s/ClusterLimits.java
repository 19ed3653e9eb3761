package io.orchestrationplane.k8s;

import java.time.Duration;
import java.util.Objects;

/**
 * How one {@link KubernetesCluster} protects itself and the API server: retry with exponential
 * backoff and jitter for throttling (429), server errors (5xx), timeouts and refused connections,
 * honouring the server's Retry-After up to {@link #maxRetryAfter()}; a circuit breaker that makes
 * an unreachable cluster fail fast; and a client-side rate limiter. Immutable; the builder
 * rejects bad values at once.
 *
 * <pre>{@code
 * ClusterLimits limits = ClusterLimits.builder()
 *     .requestsPerSecond(100)
 *     .maxAttempts(4)
 *     .initialBackoff(Duration.ofMillis(100))
 *     .build();
 * }</pre>
 *
 * @param requestsPerSecond client-side rate limit of API calls (default 50)
 * @param maxRateLimitWait longest a call waits for a rate-limit permit before failing with
 *     TOO_MANY_REQUESTS (default 30 s)
 * @param maxAttempts attempts per call including the first (default 5; 1 disables retries)
 * @param initialBackoff wait before the first retry (default 200 ms)
 * @param backoffMultiplier growth of the wait per attempt (default 2)
 * @param jitter randomization factor of each wait, in [0, 1) (default 0.5)
 * @param maxBackoff cap of the computed backoff (default 10 s)
 * @param maxRetryAfter cap of a server's Retry-After that is honoured (default 60 s)
 * @param failureRateThreshold percentage of failed calls that opens the circuit (default 50)
 * @param slidingWindowSize calls the failure rate is computed over (default 20)
 * @param minimumCalls calls needed before the failure rate counts (default 5)
 * @param openDuration how long an open circuit rejects calls before probing (default 30 s)
 * @param requestTimeout HTTP request timeout set on clients this module builds (default 10 s)
 * @param connectTimeout HTTP connect timeout set on clients this module builds (default 5 s)
 * @param watchStallTimeout how long a watch's informer may be disconnected (fabric8 reconnects
 *     silently) before the failure is reported to onWatchFailure (default 30 s)
 */
public record ClusterLimits(
    int requestsPerSecond,
    Duration maxRateLimitWait,
    int maxAttempts,
    Duration initialBackoff,
    double backoffMultiplier,
    double jitter,
    Duration maxBackoff,
    Duration maxRetryAfter,
    float failureRateThreshold,
    int slidingWindowSize,
    int minimumCalls,
    Duration openDuration,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration watchStallTimeout) {

  public ClusterLimits {
    positive(requestsPerSecond, "requestsPerSecond");
    notNegative(maxRateLimitWait, "maxRateLimitWait");
    positive(maxAttempts, "maxAttempts");
    positive(initialBackoff, "initialBackoff");
    if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
      throw new IllegalArgumentException("backoffMultiplier must be >= 1, got " + backoffMultiplier);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
    }
    positive(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be below initialBackoff ("
          + initialBackoff + ")");
    }
    notNegative(maxRetryAfter, "maxRetryAfter");
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
      throw new IllegalArgumentException("failureRateThreshold must be in (0, 100], got " + failureRateThreshold);
    }
    positive(slidingWindowSize, "slidingWindowSize");
    positive(minimumCalls, "minimumCalls");
    positive(openDuration, "openDuration");
    positive(requestTimeout, "requestTimeout");
    positive(connectTimeout, "connectTimeout");
    positive(watchStallTimeout, "watchStallTimeout");
  }

  /** The defaults listed on the record. */
  public static ClusterLimits defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.requestsPerSecond = requestsPerSecond;
    b.maxRateLimitWait = maxRateLimitWait;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.backoffMultiplier = backoffMultiplier;
    b.jitter = jitter;
    b.maxBackoff = maxBackoff;
    b.maxRetryAfter = maxRetryAfter;
    b.failureRateThreshold = failureRateThreshold;
    b.slidingWindowSize = slidingWindowSize;
    b.minimumCalls = minimumCalls;
    b.openDuration = openDuration;
    b.requestTimeout = requestTimeout;
    b.connectTimeout = connectTimeout;
    b.watchStallTimeout = watchStallTimeout;
    return b;
  }

  /** Builds {@link ClusterLimits}; each setter rejects a bad value at once. */
  public static final class Builder {
    private int requestsPerSecond = 50;
    private Duration maxRateLimitWait = Duration.ofSeconds(30);
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(200);
    private double backoffMultiplier = 2.0;
    private double jitter = 0.5;
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private float failureRateThreshold = 50;
    private int slidingWindowSize = 20;
    private int minimumCalls = 5;
    private Duration openDuration = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration watchStallTimeout = Duration.ofSeconds(30);

    private Builder() {}

    public Builder requestsPerSecond(int value) {
      this.requestsPerSecond = positive(value, "requestsPerSecond");
      return this;
    }

    public Builder maxRateLimitWait(Duration value) {
      this.maxRateLimitWait = notNegative(value, "maxRateLimitWait");
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = positive(value, "maxAttempts");
      return this;
    }

    public Builder initialBackoff(Duration value) {
      this.initialBackoff = positive(value, "initialBackoff");
      return this;
    }

    public Builder backoffMultiplier(double value) {
      if (!(value >= 1.0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("backoffMultiplier must be >= 1, got " + value);
      }
      this.backoffMultiplier = value;
      return this;
    }

    public Builder jitter(double value) {
      if (!(value >= 0.0 && value < 1.0)) {
        throw new IllegalArgumentException("jitter must be in [0, 1), got " + value);
      }
      this.jitter = value;
      return this;
    }

    public Builder maxBackoff(Duration value) {
      this.maxBackoff = positive(value, "maxBackoff");
      return this;
    }

    public Builder maxRetryAfter(Duration value) {
      this.maxRetryAfter = notNegative(value, "maxRetryAfter");
      return this;
    }

    public Builder failureRateThreshold(float value) {
      if (!(value > 0 && value <= 100)) {
        throw new IllegalArgumentException("failureRateThreshold must be in (0, 100], got " + value);
      }
      this.failureRateThreshold = value;
      return this;
    }

    public Builder slidingWindowSize(int value) {
      this.slidingWindowSize = positive(value, "slidingWindowSize");
      return this;
    }

    public Builder minimumCalls(int value) {
      this.minimumCalls = positive(value, "minimumCalls");
      return this;
    }

    public Builder openDuration(Duration value) {
      this.openDuration = positive(value, "openDuration");
      return this;
    }

    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    public Builder watchStallTimeout(Duration value) {
      this.watchStallTimeout = positive(value, "watchStallTimeout");
      return this;
    }

    /** The limits; throws {@link IllegalArgumentException} when the values contradict each other. */
    public ClusterLimits build() {
      return new ClusterLimits(requestsPerSecond, maxRateLimitWait, maxAttempts, initialBackoff,
          backoffMultiplier, jitter, maxBackoff, maxRetryAfter, failureRateThreshold, slidingWindowSize,
          minimumCalls, openDuration, requestTimeout, connectTimeout, watchStallTimeout);
    }
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
    return value;
  }
}
