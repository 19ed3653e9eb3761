package io.orchestrationplane.delivery;

import io.orchestrationplane.core.resource.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link Notifier} that POSTs each notification as a JSON object ({@code application},
 * {@code release}, {@code digest}, {@code workflow}, {@code step}, {@code message},
 * {@code author}, {@code time}) with {@code Content-Type: application/json}. A connection
 * failure, a 5xx or a 429 is tried again at once, up to {@code attempts} requests in all; any
 * other non-2xx answer fails at once. Retries spaced in time are the notify step's own
 * ({@code retries} and {@code retryDelay}, on the delivery's clock), so this class never sleeps.
 * Error messages name the scheme, host and path of the address, never its query or headers
 * (which may hold tokens).
 *
 * <pre>{@code
 * Notifier chat = WebhookNotifier.builder(URI.create("https://chat.example.com/hooks/releases"))
 *     .header("Authorization", "Bearer " + token).attempts(3).build();
 * }</pre>
 */
public final class WebhookNotifier implements Notifier {
  private final URI uri;
  private final Map<String, String> headers;
  private final int attempts;
  private final Duration timeout;
  private final HttpClient client;

  private WebhookNotifier(Builder b) {
    this.uri = b.uri;
    this.headers = Map.copyOf(b.headers);
    this.attempts = b.attempts;
    this.timeout = b.timeout;
    this.client = HttpClient.newBuilder().connectTimeout(b.timeout).build();
  }

  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public void send(Notification n) {
    ObjectNode body = Json.object();
    body.put("application", n.application());
    body.put("release", n.release());
    body.put("digest", n.digest());
    body.put("workflow", n.workflow());
    body.put("step", n.step());
    body.put("message", n.message());
    body.put("author", n.author());
    body.put("time", n.time().toString());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.writeJson(body)));
    headers.forEach(request::header);
    HttpRequest built = request.build();
    String last = "";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<Void> response = client.send(built, STATUS_ONLY);
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
          return;
        }
        last = "answered " + code;
        if (code < 500 && code != 429) {
          throw new NotificationException("webhook " + where() + " " + last);
        }
      } catch (IOException e) {
        last = "failed: " + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotificationException("webhook " + where() + " interrupted");
      }
    }
    throw new NotificationException("webhook " + where() + " " + last + " after " + attempts
        + (attempts == 1 ? " attempt" : " attempts"));
  }

  /**
   * Takes the status and leaves the body unread: the request's timeout bounds the wait for the
   * status line and headers only, so reading the body (as {@code discarding()} does) would let a
   * server that trickles it, or never ends it, hold the notify step past its timeout.
   */
  private static final HttpResponse.BodyHandler<Void> STATUS_ONLY = info -> new HttpResponse.BodySubscriber<>() {
    @Override
    public java.util.concurrent.CompletionStage<Void> getBody() {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(java.util.List<java.nio.ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  };

  private String where() {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
  }

  @Override
  public String toString() {
    return "WebhookNotifier[" + where() + "]";
  }

  /** A notification that could not be sent. */
  public static final class NotificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotificationException(String message) {
      super(message);
    }
  }

  /** Settings of a {@link WebhookNotifier}. */
  public static final class Builder {
    private final URI uri;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int attempts = 3;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("a webhook address is http or https, got scheme " + uri.getScheme());
      }
    }

    /** A header sent with every request (an authorization token, say); never logged. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Requests per notification, 1 to 10 (default 3). */
    public Builder attempts(int value) {
      if (value < 1 || value > 10) {
        throw new IllegalArgumentException("attempts must be 1 to 10, got " + value);
      }
      this.attempts = value;
      return this;
    }

    /**
     * Connect and response timeout of each request (default 10 s): how long to wait for the
     * answer's status; its body is not read.
     */
    public Builder timeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      this.timeout = value;
      return this;
    }

    public WebhookNotifier build() {
      return new WebhookNotifier(this);
    }
  }
}
