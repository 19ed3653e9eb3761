package io.orchestrationplane.delivery.analysis.internal;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.delivery.analysis.MetricProviderException;
import io.orchestrationplane.delivery.analysis.MetricValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reads Prometheus' query API answers ({@code {"status": ..., "data": {"resultType": ..., "result": ...}}}). */
public final class PrometheusResponse {
  private PrometheusResponse() {}

  public static MetricValue read(int status, String body, String address) {
    JsonNode root;
    try {
      root = Json.readJson(body);
    } catch (RuntimeException e) {
      root = null;
    }
    if (root == null || !root.isObject() || !root.has("status")) {
      throw new MetricProviderException("prometheus at " + address + " answered HTTP " + status
          + (status / 100 == 2 ? " with a body that is not Prometheus JSON" : ""));
    }
    if (!"success".equals(root.path("status").asString())) {
      throw new MetricProviderException("prometheus at " + address + " answered HTTP " + status + " "
          + root.path("errorType").asString("error") + ": " + root.path("error").asString("(no message)"));
    }
    if (status / 100 != 2) {
      throw new MetricProviderException("prometheus at " + address + " answered HTTP " + status);
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asString("");
    JsonNode result = data.path("result");
    try {
      return switch (type) {
        case "vector" -> {
          List<MetricValue.Sample> samples = new ArrayList<>();
          for (JsonNode s : result) {
            samples.add(new MetricValue.Sample(labels(s.get("metric")), value(s.get("value"))));
          }
          yield new MetricValue.Vector(samples);
        }
        case "scalar" -> new MetricValue.Scalar(value(result));
        case "matrix" -> {
          List<MetricValue.Series> series = new ArrayList<>();
          for (JsonNode s : result) {
            List<MetricValue.Point> points = new ArrayList<>();
            for (JsonNode p : s.path("values")) {
              points.add(new MetricValue.Point(time(p.get(0)), value(p)));
            }
            series.add(new MetricValue.Series(labels(s.get("metric")), points));
          }
          yield new MetricValue.Matrix(series);
        }
        default -> throw new MetricProviderException("prometheus at " + address + " answered a result of type '" + type
            + "'; conditions take vector, scalar or matrix results");
      };
    } catch (MetricProviderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MetricProviderException("prometheus at " + address + " answered a " + type + " result that cannot be read: "
          + e.getMessage());
    }
  }

  private static Map<String, String> labels(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null) {
      n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    }
    return out;
  }

  /** The value of a {@code [time, "value"]} pair. */
  private static double value(JsonNode pair) {
    if (pair == null || !pair.isArray() || pair.size() != 2) {
      throw new IllegalArgumentException("expected [time, \"value\"], got " + pair);
    }
    return RunCodec.number(pair.get(1));
  }

  private static Instant time(JsonNode t) {
    BigDecimal seconds = t.decimalValue();
    long s = seconds.longValue();
    int nanos = seconds.subtract(BigDecimal.valueOf(s)).movePointRight(9).intValue();
    return Instant.ofEpochSecond(s, nanos);
  }
}
