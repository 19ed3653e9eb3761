package io.orchestrationplane.delivery.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.time.ManualClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Prometheus provider against a real JDK HTTP server answering in Prometheus' JSON format. */
class PrometheusProviderTest {
  private static final String TOKEN = "Bearer s3cret-token-42";

  private HttpServer server;
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new java.util.concurrent.ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T10:00:00.250Z"));

  record Answer(int status, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/prom/api/v1/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
      int eq = kv.indexOf('=');
      params.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    requests.add(params);
    paths.add(ex.getRequestURI().getPath());
    auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
    Answer a = answers.get(params.get("query"));
    if (a == null) {
      a = new Answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"unknown test query\"}");
    }
    if (a.status() == -1) { // the headers at once, then the body's start, and the rest never
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write("{\"status\":\"success\",".getBytes(StandardCharsets.UTF_8));
      ex.getResponseBody().flush();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    }
    if (a.status() == -2) { // a body without end, as fast as it can be read
      ex.sendResponseHeaders(200, 0);
      byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
      try {
        ex.getResponseBody().write("{\"status\":\"success\",\"x\":\"".getBytes(StandardCharsets.UTF_8));
        while (release.getCount() > 0) {
          ex.getResponseBody().write(chunk);
        }
      } catch (IOException clientGone) {
        // the client stopped reading
      }
      ex.close();
      return;
    }
    if (a.status() == 0) {
      try {
        release.await(10, TimeUnit.SECONDS); // never answers before the client's timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    }
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(a.status(), body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private static String vector(String... values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"metric\":{\"service\":\"shop\",\"i\":\"").append(i)
          .append("\"},\"value\":[1764756000.25,\"").append(values[i]).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + sb + "]}}";
  }

  private void answer(String query, int status, String body) {
    answers.put(query, new Answer(status, body));
  }

  private PrometheusProvider provider(Duration timeout) {
    return PrometheusProvider.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prom"))
        .header("Authorization", TOKEN).timeout(timeout).build();
  }

  private AnalysisRun once(String query, String condition, Map<String, String> options) {
    Analysis analysis = Analysis.builder().provider(provider(Duration.ofSeconds(5))).build();
    Metric.Builder m = Metric.builder("m", "prometheus", query).successCondition(condition).consecutiveErrorLimit(0);
    options.forEach(m::option);
    return analysis.evaluate(analysis.start(AnalysisTemplate.of("t", m.build()), clock.instant()), clock.instant());
  }

  private static Measurement only(AnalysisRun run) {
    return run.metrics().get(0).measurements().get(0);
  }

  @Test
  void anInstantVectorQueryIsJudgedOnItsFirstSample() {
    answer("success_rate", 200, vector("0.97", "0.5"));
    AnalysisRun run = once("success_rate", "result[0] >= 0.95", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(paths).containsExactly("/prom/api/v1/query");
    assertThat(requests.get(0)).containsEntry("time", "1796292000.250");
    assertThat(auth).containsExactly(TOKEN);
    MetricValue.Vector v = (MetricValue.Vector) only(run).value();
    assertThat(v.samples()).hasSize(2);
    assertThat(v.samples().get(0).labels()).containsEntry("service", "shop");
  }

  @Test
  void aScalarResultIsADouble() {
    answer("scalar(x)", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1764756000.25,\"0.002\"]}}");
    AnalysisRun run = once("scalar(x)", "result < 0.01", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(only(run).value()).isEqualTo(MetricValue.scalar(0.002));
  }

  @Test
  void aRangeQueryAsksQueryRangeAndGivesAListPerSeries() {
    answer("errors", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"pod\":\"a\"},\"values\":[[1764755700,\"0.001\"],[1764755760.5,\"0.002\"]]}]}}");
    AnalysisRun run = once("errors", "result[0].all(v, v < 0.01)", Map.of("range", "5m", "step", "30s"));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(paths).containsExactly("/prom/api/v1/query_range");
    assertThat(requests.get(0)).containsEntry("start", "1796291700.250").containsEntry("end", "1796292000.250")
        .containsEntry("step", "30.000");
    MetricValue.Matrix m = (MetricValue.Matrix) only(run).value();
    assertThat(m.series().get(0).points().get(1).time()).isEqualTo(Instant.parse("2025-12-03T09:56:00.500Z"));
  }

  @Test
  void anEmptyResultIsInconclusive() {
    answer("absent", 200, vector());
    AnalysisRun run = once("absent", "result[0] < 0.01", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(only(run).message()).contains("no data");
  }

  @Test
  void aNaNSampleIsInconclusive() {
    answer("ratio", 200, vector("NaN"));
    AnalysisRun run = once("ratio", "result[0] < 0.01", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(only(run).value().toText()).isEqualTo("[NaN]");
  }

  @Test
  void positiveInfinityIsANumberThatFailsAnUpperBound() {
    answer("latency", 200, vector("+Inf"));
    AnalysisRun run = once("latency", "result[0] < 2.0", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(only(run).value().toText()).isEqualTo("[+Inf]");
    assertThat(AnalysisRun.fromJson(run.toJson())).isEqualTo(run);
  }

  @Test
  void anHttp500IsAnErrorMeasurement() {
    answer("broken", 500, "internal error");
    AnalysisRun run = once("broken", "result[0] < 0.01", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(only(run).message()).contains("HTTP 500");
  }

  @Test
  void aStatusErrorAnswerIsAnErrorNamingPrometheusMessage() {
    answer("sum(", 400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unclosed left parenthesis\"}");
    AnalysisRun run = once("sum(", "result[0] < 0.01", Map.of());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(only(run).message()).contains("bad_data", "unclosed left parenthesis");
  }

  @Test
  void noAnswerWithinTheTimeoutIsAnErrorAndTheTokenAppearsNowhere() {
    answer("slow", 0, "");
    Analysis analysis = Analysis.builder().provider(provider(Duration.ofMillis(300))).build();
    AnalysisRun run = analysis.evaluate(analysis.start(AnalysisTemplate.of("t",
        Metric.builder("m", "prometheus", "slow").successCondition("result[0] < 1.0").build()), clock.instant()), clock.instant());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(only(run).phase()).isEqualTo(Measurement.Phase.ERROR);
    assertThat(only(run).message()).contains("did not answer within 300ms");
    assertThat(auth).containsExactly(TOKEN);
    String everything = Json.JSON.writeValueAsString(run.toJson()) + run.toText() + run.result() + provider(Duration.ofSeconds(1));
    assertThat(everything).doesNotContain("s3cret");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // without a bound on the answer, this would wait without end
  void aBodyThatNeverEndsIsAnErrorWithinTheTimeoutNotAWaitWithoutEnd() {
    answer("trickle", -1, "");
    Analysis analysis = Analysis.builder().provider(provider(Duration.ofMillis(300))).build();
    AnalysisRun run = analysis.evaluate(analysis.start(AnalysisTemplate.of("t",
        Metric.builder("m", "prometheus", "trickle").successCondition("result[0] < 1.0").build()), clock.instant()), clock.instant());
    assertThat(only(run).phase()).isEqualTo(Measurement.Phase.ERROR);
    assertThat(only(run).message()).contains("did not answer within 300ms");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // without a bound on the answer, this would wait without end
  void aBodyLargerThanAJsonAnswerMayBeIsAnErrorAndNotReadToTheEnd() {
    answer("endless", -2, "");
    AnalysisRun run = once("endless", "result[0] < 1.0", Map.of());
    assertThat(only(run).phase()).isEqualTo(Measurement.Phase.ERROR);
    assertThat(only(run).message()).contains("answered a body of more than 3 MiB");
  }

  @Test
  void unknownOrBadOptionsAreRefusedWhenTheRunStarts() {
    Analysis analysis = Analysis.builder().provider(provider(Duration.ofSeconds(1))).build();
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "prometheus", "q").option("rnage", "5m")
        .option("step", "soon").build());
    assertThatThrownBy(() -> analysis.start(t, clock.instant())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.metrics[0].provider.prometheus.rnage")
        .hasMessageContaining("spec.metrics[0].provider.prometheus.step");
  }

  @Test
  void anAddressWithAQueryIsRefused() {
    assertThatThrownBy(() -> PrometheusProvider.builder(URI.create("http://prom:9090/?token=x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("token=x");
  }
}
