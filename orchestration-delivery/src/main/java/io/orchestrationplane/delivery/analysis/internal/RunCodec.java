package io.orchestrationplane.delivery.analysis.internal;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.delivery.analysis.AnalysisPhase;
import io.orchestrationplane.delivery.analysis.AnalysisRun;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.analysis.MetricResult;
import io.orchestrationplane.delivery.analysis.MetricValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored JSON of an {@link AnalysisRun}. Numbers that JSON cannot hold (NaN, infinities)
 * are the strings {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}, as Prometheus writes them.
 */
public final class RunCodec {
  /** The stored format's version. */
  public static final int FORMAT = 1;

  private RunCodec() {}

  public static ObjectNode toTree(AnalysisRun run) {
    ObjectNode n = Json.object();
    n.put("format", FORMAT);
    n.set("template", TemplateCodec.toTree(run.template()));
    ObjectNode args = n.putObject("args");
    run.args().forEach(args::put);
    n.put("startedAt", run.startedAt().toString());
    n.put("terminated", run.terminated());
    n.put("phase", run.phase().name());
    n.put("message", run.message());
    ArrayNode metrics = n.putArray("metrics");
    for (MetricResult r : run.metrics()) {
      ObjectNode m = metrics.addObject();
      m.put("name", r.name());
      m.put("phase", r.phase().name());
      m.put("count", r.count());
      m.put("successful", r.successful());
      m.put("failed", r.failed());
      m.put("inconclusive", r.inconclusive());
      m.put("error", r.error());
      m.put("consecutiveError", r.consecutiveError());
      m.put("message", r.message());
      ArrayNode ms = m.putArray("measurements");
      for (Measurement x : r.measurements()) {
        ObjectNode o = ms.addObject();
        o.put("phase", x.phase().name());
        o.put("startedAt", x.startedAt().toString());
        o.put("finishedAt", x.finishedAt().toString());
        if (x.value() != null) {
          o.set("value", value(x.value()));
        }
        if (x.expression() != null) {
          o.put("expression", x.expression());
        }
        o.put("message", x.message());
      }
    }
    return n;
  }

  public static AnalysisRun fromTree(JsonNode n) {
    try {
      if (n.path("format").asInt() != FORMAT) {
        throw new IllegalArgumentException("format " + n.path("format") + " is not " + FORMAT);
      }
      AnalysisTemplate t = TemplateCodec.fromTree(n.get("template"));
      Map<String, String> args = new LinkedHashMap<>();
      n.get("args").properties().forEach(e -> args.put(e.getKey(), e.getValue().asString()));
      List<MetricResult> results = new ArrayList<>();
      for (JsonNode m : n.get("metrics")) {
        String name = m.get("name").asString();
        List<Measurement> ms = new ArrayList<>();
        for (JsonNode o : m.get("measurements")) {
          ms.add(new Measurement(name, Measurement.Phase.valueOf(o.get("phase").asString()),
              Instant.parse(o.get("startedAt").asString()), Instant.parse(o.get("finishedAt").asString()),
              o.has("value") ? value(o.get("value")) : null, o.has("expression") ? o.get("expression").asString() : null,
              o.get("message").asString()));
        }
        results.add(new MetricResult(name, AnalysisPhase.valueOf(m.get("phase").asString()), m.get("count").asInt(),
            m.get("successful").asInt(), m.get("failed").asInt(), m.get("inconclusive").asInt(), m.get("error").asInt(),
            m.get("consecutiveError").asInt(), ms, m.get("message").asString()));
      }
      return new AnalysisRun(t, args, Instant.parse(n.get("startedAt").asString()), n.get("terminated").asBoolean(),
          AnalysisPhase.valueOf(n.get("phase").asString()), n.get("message").asString(), results);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a stored analysis run: " + e.getMessage(), e);
    }
  }

  static ObjectNode value(MetricValue v) {
    ObjectNode n = Json.object();
    if (v instanceof MetricValue.Scalar s) {
        n.put("type", "scalar");
        number(n, "value", s.value());
    } else if (v instanceof MetricValue.Vector vec) {
        n.put("type", "vector");
        ArrayNode a = n.putArray("samples");
        for (MetricValue.Sample s : vec.samples()) {
          ObjectNode o = a.addObject();
          ObjectNode labels = o.putObject("labels");
          s.labels().forEach(labels::put);
          number(o, "value", s.value());
        }
    } else if (v instanceof MetricValue.Matrix mat) {
        n.put("type", "matrix");
        ArrayNode a = n.putArray("series");
        for (MetricValue.Series s : mat.series()) {
          ObjectNode o = a.addObject();
          ObjectNode labels = o.putObject("labels");
          s.labels().forEach(labels::put);
          ArrayNode points = o.putArray("points");
          for (MetricValue.Point p : s.points()) {
            ObjectNode po = points.addObject();
            po.put("time", p.time().toString());
            number(po, "value", p.value());
          }
        }
    } else if (v instanceof MetricValue.Structured st) {
        n.put("type", "structured");
        n.set("values", plain(st.values()));
    }
    return n;
  }

  static MetricValue value(JsonNode n) {
    String type = n.get("type").asString();
    return switch (type) {
      case "scalar" -> new MetricValue.Scalar(number(n.get("value")));
      case "vector" -> {
        List<MetricValue.Sample> samples = new ArrayList<>();
        for (JsonNode s : n.get("samples")) {
          samples.add(new MetricValue.Sample(labels(s.get("labels")), number(s.get("value"))));
        }
        yield new MetricValue.Vector(samples);
      }
      case "matrix" -> {
        List<MetricValue.Series> series = new ArrayList<>();
        for (JsonNode s : n.get("series")) {
          List<MetricValue.Point> points = new ArrayList<>();
          for (JsonNode p : s.get("points")) {
            points.add(new MetricValue.Point(Instant.parse(p.get("time").asString()), number(p.get("value"))));
          }
          series.add(new MetricValue.Series(labels(s.get("labels")), points));
        }
        yield new MetricValue.Matrix(series);
      }
      case "structured" -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) unplain(n.get("values"));
        yield new MetricValue.Structured(values);
      }
      default -> throw new IllegalArgumentException("unknown value type '" + type + "'");
    };
  }

  private static Map<String, String> labels(@Nullable JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null) {
      n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    }
    return out;
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      n.put(field, Values.text(v));
    } else {
      n.put(field, v);
    }
  }

  /** A number, or Prometheus' text of one ("NaN", "+Inf", "-Inf", "1.5e3"). */
  public static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    return parse(n.asString());
  }

  /** Prometheus' text of a float. */
  public static double parse(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static JsonNode plain(Object o) {
    if (o instanceof Map<?, ?> m) {
      ObjectNode n = Json.object();
      m.forEach((k, v) -> n.set(k.toString(), plain(v)));
      return n;
    }
    if (o instanceof List<?> l) {
      ArrayNode a = Json.JSON.createArrayNode();
      l.forEach(x -> a.add(plain(x)));
      return a;
    }
    if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      // non-finite numbers are tagged so they do not read back as strings
      return Double.isFinite(d) ? Json.JSON.getNodeFactory().numberNode(d) : Json.object().put("$float", Values.text(d));
    }
    if (o instanceof Number num) {
      return Json.JSON.getNodeFactory().numberNode(num.longValue());
    }
    if (o instanceof Boolean b) {
      return Json.JSON.getNodeFactory().booleanNode(b);
    }
    return Json.JSON.getNodeFactory().stringNode(o.toString());
  }

  private static Object unplain(JsonNode n) {
    if (n.isObject()) {
      if (n.size() == 1 && n.has("$float") && n.get("$float").isString()) {
        return parse(n.get("$float").asString());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), unplain(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(unplain(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.asString();
  }
}
