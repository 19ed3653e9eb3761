package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.ClusterException.Reason;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.k8s.CircuitState;
import io.orchestrationplane.k8s.CircuitTransition;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.RetryEvent;
import java.time.Clock;
import io.orchestrationplane.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience of one Kubernetes driver: runs every API call of the cluster through retry,
 * circuit breaker and rate limiter (outermost first), built once from {@link ClusterLimits},
 * turning failures into {@link ClusterException}s. An open circuit fails at once with
 * UNAVAILABLE and is not retried, so a dead cluster costs its callers almost nothing. Reports
 * retries and circuit transitions as the module's own {@link RetryEvent} and {@link
 * CircuitTransition}, so no resilience4j type reaches the driver's public API. Thread-safe.
 */
public final class CallGuard {
  private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);
  /** Failures that say the cluster itself is unwell; the circuit counts only these. */
  private static final Set<Reason> UNHEALTHY = Set.of(Reason.UNAVAILABLE, Reason.TIMEOUT, Reason.SERVER_ERROR);

  private final String cluster;
  private final Retry retry;
  private final CircuitBreaker circuitBreaker;
  private final RateLimiter rateLimiter;
  private final Supplier<Duration> retryAfterHints;
  private final ClusterLimits limits;
  private final Clock clock;
  /** Digests secret values in failures' messages, keyed per driver: a digest cannot confirm a guess. */
  private final Redactor redactor = Redactor.random();
  /** When the circuit last opened and why, for messages; null while it has not. */
  private volatile @Nullable Opened opened;

  /** The circuit's last opening: when, and the failures that opened it. */
  private record Opened(Instant at, int failed, int calls, float failureRate) {}

  /**
   * @param retryAfterHints Retry-After values seen in response headers, consumed when a throttled
   *     call's Status body did not say how long to wait
   * @param onRetry told of each retry, before its wait
   * @param onTransition told of each change of the circuit's state
   */
  public CallGuard(String cluster, ClusterLimits limits, Clock clock, Supplier<Duration> retryAfterHints,
      Consumer<RetryEvent> onRetry, Consumer<CircuitTransition> onTransition) {
    this.cluster = cluster;
    this.retryAfterHints = retryAfterHints;
    this.limits = limits;
    this.clock = clock;
    this.circuitBreaker = CircuitBreaker.of(cluster, CircuitBreakerConfig.custom()
        .failureRateThreshold(limits.failureRateThreshold())
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(limits.slidingWindowSize())
        .minimumNumberOfCalls(limits.minimumCalls())
        .waitDurationInOpenState(limits.openDuration())
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordException(t -> t instanceof ClusterException ce && UNHEALTHY.contains(ce.reason()))
        .clock(clock)
        .build());
    this.retry = Retry.of(cluster, RetryConfig.custom()
        .maxAttempts(limits.maxAttempts())
        .retryOnException(CallGuard::retryable)
        .intervalBiFunction(interval(limits))
        .failAfterMaxAttempts(false)
        .build());
    this.rateLimiter = RateLimiter.of(cluster, rateLimiterConfig(limits));
    retry.getEventPublisher().onRetry(e -> notify(onRetry, new RetryEvent(cluster, e.getNumberOfRetryAttempts(),
        e.getWaitInterval(), ClusterErrors.map(cluster, "call", e.getLastThrowable()))));
    circuitBreaker.getEventPublisher().onStateTransition(e -> {
      CircuitState from = state(e.getStateTransition().getFromState());
      CircuitState to = state(e.getStateTransition().getToState());
      if (to == CircuitState.OPEN) {
        CircuitBreaker.Metrics m = circuitBreaker.getMetrics();
        opened = new Opened(clock.instant(), m.getNumberOfFailedCalls(), m.getNumberOfBufferedCalls(), m.getFailureRate());
      }
      if (from != to) {
        notify(onTransition, new CircuitTransition(cluster, from, to));
      }
    });
  }

  /** The circuit breaker's state now. */
  public CircuitState circuitState() {
    return state(circuitBreaker.getState());
  }

  /**
   * The circuit's state explained for people: why it is in it, since when, and what happens next,
   * e.g. {@code circuit breaker OPEN for 12s (since ...): 4 of the last 5 calls failed (80%; it opens
   * at 50% of the last 8 calls failing, counted from 4 calls); calls fail at once without reaching
   * the cluster until the open period has passed; a probe goes through in 48s}.
   */
  public String describe() {
    CircuitState state = circuitState();
    Instant now = clock.instant();
    Opened o = opened;
    String thresholds = "it opens at " + percent(limits.failureRateThreshold()) + " of the last "
        + limits.slidingWindowSize() + " calls failing, counted from " + limits.minimumCalls() + " calls";
    return switch (state) {
      case CLOSED -> {
        CircuitBreaker.Metrics m = circuitBreaker.getMetrics();
        yield "circuit breaker CLOSED: " + state.meaning() + " (" + m.getNumberOfFailedCalls() + " of the last "
            + m.getNumberOfBufferedCalls() + " calls failed; " + thresholds + ")";
      }
      case OPEN -> {
        if (o == null) {
          yield "circuit breaker OPEN: " + state.meaning();
        }
        Duration open = Duration.between(o.at(), now);
        Duration left = limits.openDuration().minus(open);
        yield "circuit breaker OPEN for " + Durations.human(open) + " (since " + o.at() + "): " + o.failed() + " of the last "
            + o.calls() + " calls failed (" + percent(o.failureRate()) + "; " + thresholds + "); " + state.meaning()
            + (left.isNegative() || left.isZero() ? "; the next call is a probe"
                : "; a probe goes through in " + Durations.human(left));
      }
      case HALF_OPEN -> "circuit breaker HALF_OPEN: " + state.meaning();
    };
  }

  private static String percent(float rate) {
    return (rate == Math.rint(rate) ? Integer.toString((int) rate) : String.format(java.util.Locale.ROOT, "%.1f", rate)) + "%";
  }

  private static CircuitState state(CircuitBreaker.State s) {
    return switch (s) {
      case OPEN, FORCED_OPEN -> CircuitState.OPEN;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      default -> CircuitState.CLOSED; // CLOSED, and DISABLED or METRICS_ONLY, which this module never uses
    };
  }

  private <E> void notify(Consumer<E> listener, E event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("resilience listener of cluster {} failed on {}", cluster, event, e);
    }
  }

  /** Runs {@code call} guarded; {@code operation} names it in errors ("apply ConfigMap shop/a"). */
  public <T> T call(String operation, Supplier<T> call) {
    return call(operation, Set.of(), call);
  }

  /**
   * Runs {@code call}, a write of an object holding the {@code secrets} (a Secret's values), guarded:
   * the server's message in a failure, which may quote the object, has them replaced by digests
   * (or is withheld when one is shorter than {@value Redactor#MIN_SCRUBBED_LENGTH} characters)
   * before the failure reaches a retry event or the caller, and the failure carries no cause that
   * quotes them.
   */
  public <T> T call(String operation, Collection<String> secrets, Supplier<T> call) {
    Supplier<T> mapped = () -> {
      try {
        return call.get();
      } catch (RuntimeException e) {
        throw withHint(scrubbed(ClusterErrors.map(cluster, operation, e), operation, secrets));
      }
    };
    Supplier<T> limited = () -> {
      if (!rateLimiter.acquirePermission()) {
        throw new ClusterException(cluster, Reason.TOO_MANY_REQUESTS, operation + " on cluster " + cluster
            + ": client-side rate limit reached", null, RequestNotPermitted.createRequestNotPermitted(rateLimiter));
      }
      return mapped.get();
    };
    Supplier<T> broken = () -> {
      try {
        return CircuitBreaker.decorateSupplier(circuitBreaker, limited).get();
      } catch (CallNotPermittedException e) {
        throw ClusterException.unavailable(cluster, operation + " on cluster " + cluster + ": failing fast, "
            + describe(), e);
      }
    };
    return Retry.decorateSupplier(retry, broken).get();
  }

  /**
   * The failure with the secret values replaced in its message and in its HTTP cause's status
   * message; causes other than the HTTP failure (an I/O error names no content) are kept.
   */
  private ClusterException scrubbed(ClusterException e, String operation, Collection<String> secrets) {
    if (secrets.isEmpty()) {
      return e;
    }
    int code = ClusterErrors.httpCode(e);
    String withheld = operation + " on cluster " + cluster + (code > 0 ? ": HTTP " + code : ": failed")
        + " (the server's message is withheld: it may quote a secret value of the object)";
    String message = redactor.scrub(e.getMessage(), secrets, withheld);
    Throwable cause = e.getCause();
    if (code > 0) {
      KubernetesClientException http = null;
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof KubernetesClientException kce && kce.getCode() > 0) {
          http = kce;
          break;
        }
      }
      Status was = http.getStatus();
      StatusBuilder status = new StatusBuilder().withCode(code).withStatus("Failure")
          .withMessage(redactor.scrub(was == null || was.getMessage() == null ? "" : was.getMessage(), secrets,
              "withheld: it may quote a secret value of the object"));
      if (was != null) {
        status.withReason(was.getReason());
        if (was.getDetails() != null && was.getDetails().getRetryAfterSeconds() != null) {
          status.withNewDetails().withRetryAfterSeconds(was.getDetails().getRetryAfterSeconds()).endDetails();
        }
      }
      cause = new KubernetesClientException(status.build());
    } else if (message.equals(e.getMessage()) && !mentionsAny(cause, secrets)) {
      return e;
    } else {
      cause = null;
    }
    return new ClusterException(e.cluster(), e.reason(), message, e.retryAfter().orElse(null), cause);
  }

  private static boolean mentionsAny(@Nullable Throwable failure, Collection<String> secrets) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null) {
        for (String s : secrets) {
          if (!s.isEmpty() && m.contains(s)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private ClusterException withHint(ClusterException e) {
    if ((e.reason() == Reason.TOO_MANY_REQUESTS || e.reason() == Reason.SERVER_ERROR) && e.retryAfter().isEmpty()) {
      Duration hint = retryAfterHints.get();
      if (hint != null) {
        return new ClusterException(e.cluster(), e.reason(), e.getMessage() + " (Retry-After " + hint.toSeconds() + "s)",
            hint, e.getCause());
      }
    }
    return e;
  }


  /**
   * Whether sending the same request again may succeed. CONFLICT and ALREADY_EXISTS are
   * retryable for the caller, who reads and plans again, but the same request would meet the
   * same object: they are never resent.
   */
  static boolean retryable(Throwable t) {
    return t instanceof ClusterException ce
        && ce.isRetryable()
        && ce.reason() != Reason.CONFLICT
        && ce.reason() != Reason.ALREADY_EXISTS
        && !(ce.getCause() instanceof CallNotPermittedException)
        && !(ce.getCause() instanceof RequestNotPermitted);
  }

  /**
   * Exponential backoff with jitter; a server's Retry-After (capped at maxRetryAfter) wins when it
   * asks for longer.
   */
  static IntervalBiFunction<Object> interval(ClusterLimits limits) {
    IntervalFunction backoff = limits.jitter() == 0
        ? IntervalFunction.ofExponentialBackoff(limits.initialBackoff(), limits.backoffMultiplier(), limits.maxBackoff())
        : IntervalFunction.ofExponentialRandomBackoff(limits.initialBackoff(), limits.backoffMultiplier(),
            limits.jitter(), limits.maxBackoff());
    return (attempt, outcome) -> {
      long wait = backoff.apply(attempt);
      if (outcome != null && outcome.isLeft() && outcome.getLeft() instanceof ClusterException ce) {
        Duration asked = ce.retryAfter().orElse(null);
        if (asked != null) {
          long honoured = Math.min(asked.toMillis(), limits.maxRetryAfter().toMillis());
          wait = Math.max(wait, honoured);
        }
      }
      return wait;
    };
  }

  private static RateLimiterConfig rateLimiterConfig(ClusterLimits limits) {
    // Refill often in small amounts, so a burst cannot take a whole second's budget at once.
    int rps = limits.requestsPerSecond();
    Duration period;
    int perPeriod;
    if (rps <= 100) {
      period = Duration.ofNanos(1_000_000_000L / rps);
      perPeriod = 1;
    } else {
      period = Duration.ofMillis(10);
      perPeriod = (rps + 99) / 100;
    }
    return RateLimiterConfig.custom()
        .limitRefreshPeriod(period)
        .limitForPeriod(perPeriod)
        .timeoutDuration(limits.maxRateLimitWait())
        .build();
  }
}
