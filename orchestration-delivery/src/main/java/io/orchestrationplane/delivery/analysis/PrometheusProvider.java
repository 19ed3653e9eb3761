package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.delivery.analysis.internal.PrometheusResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Measures with Prometheus' HTTP query API: an instant query ({@code GET /api/v1/query} with
 * {@code time} = the analysis' now) or, with option {@code range}, a range query ({@code GET
 * /api/v1/query_range} from {@code now - range} to now every {@code step}, default 1m). Result
 * types map onto {@link MetricValue}: {@code vector} to {@link MetricValue.Vector}, {@code scalar}
 * to {@link MetricValue.Scalar}, {@code matrix} to {@link MetricValue.Matrix}; sample values
 * {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"} are read as such. An answer with
 * {@code "status": "error"}, a non-2xx status, a body that is not Prometheus JSON, a connection
 * failure or no answer within the timeout is a {@link MetricProviderException} (an ERROR
 * measurement). Headers (an {@code Authorization} token) are sent with every request and appear
 * in no message, exception or {@code toString()}; messages name the address without user info or
 * query.
 *
 * <pre>{@code
 * MetricProvider prometheus = PrometheusProvider.builder(URI.create("http://prometheus.monitoring:9090"))
 *     .header("Authorization", "Bearer " + token)
 *     .timeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
public final class PrometheusProvider implements MetricProvider {
  /** Metric options this provider takes. */
  public static final Set<String> OPTIONS = Set.of("range", "step");
  /** The default step of a range query. */
  public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);

  private final String name;
  private final URI address;
  private final String shownAddress;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final HttpClient client;

  private PrometheusProvider(Builder b) {
    this.name = b.name;
    String base = b.address.toString();
    this.address = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.shownAddress = b.address.getScheme() + "://" + b.address.getHost() + (b.address.getPort() < 0 ? "" : ":" + b.address.getPort())
        + (b.address.getRawPath() == null ? "" : b.address.getRawPath());
    this.headers = Map.copyOf(b.headers);
    this.timeout = b.timeout;
    this.client = HttpClient.newBuilder().connectTimeout(b.timeout).build();
  }

  /** A provider for the Prometheus (or compatible: Thanos, Mimir, VictoriaMetrics) server at {@code address}. */
  public static Builder builder(URI address) {
    return new Builder(address);
  }

  @Override public String name() {
    return name;
  }

  @Override public List<String> validate(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    for (String k : new java.util.TreeSet<>(options.keySet())) {
      if (!OPTIONS.contains(k)) {
        problems.add("options." + k + ": unknown option of provider " + name + "; known: " + new java.util.TreeSet<>(OPTIONS));
      }
    }
    for (String k : OPTIONS) {
      String v = options.get(k);
      if (v != null) {
        try {
          Duration d = Workflow.parseDuration(v);
          if (d.isZero() || d.isNegative()) {
            problems.add("options." + k + ": must be positive, got " + v);
          }
        } catch (IllegalArgumentException e) {
          problems.add("options." + k + ": " + e.getMessage());
        }
      }
    }
    if (options.containsKey("step") && !options.containsKey("range")) {
      problems.add("options.step: only a range query has a step; set range too");
    }
    return problems;
  }

  @Override public MetricValue measure(MetricQuery q) {
    String range = q.options().get("range");
    URI uri;
    if (range == null) {
      uri = URI.create(address + "/api/v1/query?query=" + enc(q.query()) + "&time=" + seconds(q.time()));
    } else {
      Duration r = Workflow.parseDuration(range);
      String stepText = q.options().get("step");
      Duration step = stepText == null ? DEFAULT_STEP : Workflow.parseDuration(stepText);
      uri = URI.create(address + "/api/v1/query_range?query=" + enc(q.query()) + "&start=" + seconds(q.time().minus(r))
          + "&end=" + seconds(q.time()) + "&step=" + seconds(step));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    headers.forEach(request::header);
    // The request's timeout bounds the wait for the headers only: the whole answer, body included,
    // must arrive within it too, or a server trickling its body would hold the evaluation forever.
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> sent =
        client.sendAsync(request.build(), info -> new CappedBody(MAX_BODY_BYTES));
    HttpResponse<byte[]> response;
    try {
      response = sent.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      sent.cancel(true);
      throw new MetricProviderException("prometheus at " + shownAddress + " did not answer within " + Workflow.format(timeout));
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new MetricProviderException("prometheus at " + shownAddress + " did not answer within " + Workflow.format(timeout));
      }
      if (cause instanceof CappedBody.TooLarge) {
        throw new MetricProviderException("prometheus at " + shownAddress + " answered a body of more than "
            + MAX_BODY_BYTES / (1024 * 1024) + " MiB, larger than a JSON answer may be: narrow the query");
      }
      throw new MetricProviderException("cannot query prometheus at " + shownAddress + ": "
          + (cause == null ? "failed" : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage())));
    } catch (InterruptedException e) {
      sent.cancel(true);
      Thread.currentThread().interrupt();
      throw new MetricProviderException("interrupted while querying prometheus at " + shownAddress);
    }
    return PrometheusResponse.read(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), shownAddress);
  }

  /** The largest answer read: the size of JSON the plane parses at all ({@code Json.readJson}). */
  static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

  /** Collects a body of up to {@code max} bytes; beyond that it stops reading and fails with {@link TooLarge}. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final java.util.concurrent.CompletableFuture<byte[]> result = new java.util.concurrent.CompletableFuture<>();
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private java.util.concurrent.Flow.@org.jspecify.annotations.Nullable Subscription subscription;

    CappedBody(int max) {
      this.max = max;
    }

    /** The body is longer than the limit. */
    static final class TooLarge extends IOException {
      private static final long serialVersionUID = 1L;

      TooLarge() {
        super("answer body too large");
      }
    }

    @Override
    public java.util.concurrent.CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<java.nio.ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (java.nio.ByteBuffer b : items) {
        if (out.size() + (long) b.remaining() > max) {
          result.completeExceptionally(new TooLarge());
          if (subscription != null) {
            subscription.cancel();
          }
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String seconds(Instant t) {
    return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
  }

  private static String seconds(Duration d) {
    return d.getSeconds() + "." + String.format("%03d", d.getNano() / 1_000_000);
  }

  @Override public String toString() {
    return "PrometheusProvider[" + name + " at " + shownAddress + ", timeout " + Workflow.format(timeout)
        + (headers.isEmpty() ? "" : ", headers " + new java.util.TreeSet<>(headers.keySet())) + "]";
  }

  /** Settings of a {@link PrometheusProvider}. */
  public static final class Builder {
    private final URI address;
    private String name = "prometheus";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(URI address) {
      this.address = Objects.requireNonNull(address, "address");
      if (address.getScheme() == null || !(address.getScheme().equals("http") || address.getScheme().equals("https"))
          || address.getHost() == null) {
        throw new IllegalArgumentException("address must be an http or https URL with a host, got scheme "
            + address.getScheme() + " and host " + address.getHost());
      }
      if (address.getRawQuery() != null) {
        throw new IllegalArgumentException("address must not have a query (put tokens in a header)");
      }
    }

    /** The name metrics use (default {@code prometheus}), to register several servers. */
    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    /** A header sent with every query, e.g. {@code Authorization}; its value is never shown. */
    public Builder header(String headerName, String value) {
      headers.put(Objects.requireNonNull(headerName, "headerName"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long to wait for a connection and for the whole answer, body included (default 10s). */
    public Builder timeout(Duration value) {
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      this.timeout = value;
      return this;
    }

    public PrometheusProvider build() {
      return new PrometheusProvider(this);
    }
  }
}
