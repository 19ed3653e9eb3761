package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the Retry-After header of the cluster's latest 429 or 503 answer. fabric8's
 * exception carries the Status body (whose details.retryAfterSeconds the API server sets for
 * some throttling) but not the headers (which API Priority and Fairness uses), so the header is
 * caught here and handed to the failing call's retry. Under concurrent calls another call may
 * take the hint first; it is the same server asking to slow down either way.
 */
public final class RetryAfterHints implements Interceptor {
  private final AtomicReference<Duration> latest = new AtomicReference<>();

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (response.code() != 429 && response.code() != 503) {
      return;
    }
    Duration parsed = parse(response.header("Retry-After"));
    if (parsed != null) {
      latest.set(parsed);
    }
  }

  /** The latest hint, consumed; null when none arrived since the last take. */
  public Duration take() {
    return latest.getAndSet(null);
  }

  /** Seconds as the header states them; HTTP dates are not honoured (backoff applies instead). */
  static @Nullable Duration parse(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
