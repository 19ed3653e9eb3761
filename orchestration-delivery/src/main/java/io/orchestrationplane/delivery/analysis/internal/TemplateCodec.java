package io.orchestrationplane.delivery.analysis.internal;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.SourceMap;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The YAML and JSON form of {@link AnalysisTemplate}, Argo Rollouts' AnalysisTemplate shape. */
public final class TemplateCodec {
  private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> SPEC = Set.of("args", "metrics", "dryRun", "measurementRetention");
  private static final Set<String> RETENTION = Set.of("metricName", "limit");
  private static final Set<String> DRY_RUN = Set.of("metricName");
  private static final Set<String> ARG = Set.of("name", "value");
  private static final Set<String> METRIC = Set.of("name", "provider", "interval", "initialDelay", "count",
      "successCondition", "failureCondition", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit");

  private TemplateCodec() {}

  public static AnalysisTemplate read(String yaml) {
    SourceMap.Located doc = SourceMap.readYaml("AnalysisTemplate document", yaml);
    return decode(doc.tree(), doc.source());
  }

  public static AnalysisTemplate fromTree(JsonNode tree) {
    return decode(tree, SourceMap.EMPTY);
  }

  public static String write(AnalysisTemplate t) {
    return Json.writeYaml(toTree(t));
  }

  public static ObjectNode toTree(AnalysisTemplate t) {
    ObjectNode root = Json.object();
    root.put("apiVersion", AnalysisTemplate.API_VERSION);
    root.put("kind", AnalysisTemplate.KIND);
    root.putObject("metadata").put("name", t.name());
    ObjectNode spec = root.putObject("spec");
    if (!t.args().isEmpty()) {
      ArrayNode args = spec.putArray("args");
      for (AnalysisTemplate.Argument a : t.args()) {
        ObjectNode n = args.addObject().put("name", a.name());
        if (a.value() != null) {
          n.put("value", a.value());
        }
      }
    }
    ArrayNode metrics = spec.putArray("metrics");
    for (Metric m : t.metrics()) {
      ObjectNode n = metrics.addObject();
      n.put("name", m.name());
      if (m.interval() != null) {
        n.put("interval", Workflow.format(m.interval()));
      }
      if (!m.initialDelay().isZero()) {
        n.put("initialDelay", Workflow.format(m.initialDelay()));
      }
      if (m.count() != null) {
        n.put("count", m.count());
      }
      if (m.successCondition() != null) {
        n.put("successCondition", m.successCondition());
      }
      if (m.failureCondition() != null) {
        n.put("failureCondition", m.failureCondition());
      }
      n.put("failureLimit", m.failureLimit());
      n.put("inconclusiveLimit", m.inconclusiveLimit());
      n.put("consecutiveErrorLimit", m.consecutiveErrorLimit());
      ObjectNode p = n.putObject("provider").putObject(m.provider());
      p.put("query", m.query());
      m.options().forEach(p::put);
    }
    if (!t.dryRun().isEmpty()) {
      ArrayNode dry = spec.putArray("dryRun");
      t.dryRun().forEach(r -> dry.addObject().put("metricName", r));
    }
    if (!t.measurementRetention().isEmpty()) {
      ArrayNode kept = spec.putArray("measurementRetention");
      t.measurementRetention().forEach(r -> kept.addObject().put("metricName", r.metricName()).put("limit", r.limit()));
    }
    return root;
  }

  private static AnalysisTemplate decode(@Nullable JsonNode root, SourceMap src) {
    if (root == null || !root.isObject()) {
      throw new ValidationException("AnalysisTemplate document",
          List.of(src.problem("", "expected an object with apiVersion, kind, metadata and spec")));
    }
    List<Problem> problems = new ArrayList<>();
    unknown(root, "", ENVELOPE, src, problems);
    String apiVersion = text(root, "apiVersion", "apiVersion", true, src, problems);
    if (apiVersion != null && !apiVersion.equals(AnalysisTemplate.API_VERSION)) {
      problems.add(src.problem("apiVersion", "must be " + AnalysisTemplate.API_VERSION + ", got '" + apiVersion + "'"));
    }
    String kind = text(root, "kind", "kind", true, src, problems);
    if (kind != null && !kind.equals(AnalysisTemplate.KIND)) {
      problems.add(src.problem("kind", "must be " + AnalysisTemplate.KIND + ", got '" + kind + "'"));
    }
    String name = null;
    JsonNode metadata = root.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      problems.add(src.problem("metadata", "required: an object with the template's name"));
    } else {
      name = text(metadata, "name", "metadata.name", true, src, problems);
    }
    List<AnalysisTemplate.Argument> args = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    List<String> dryRun = new ArrayList<>();
    List<AnalysisTemplate.Retention> retention = new ArrayList<>();
    JsonNode spec = root.get("spec");
    if (spec == null || !spec.isObject()) {
      problems.add(src.problem("spec", "required: an object with metrics"));
    } else {
      unknown(spec, "spec", SPEC, src, problems);
      JsonNode a = spec.get("args");
      if (a != null && !a.isArray()) {
        problems.add(src.problem("spec.args", "must be a list of {name, value}"));
      } else if (a != null) {
        for (int i = 0; i < a.size(); i++) {
          String path = "spec.args[" + i + "]";
          JsonNode n = a.get(i);
          if (!n.isObject()) {
            problems.add(src.problem(path, "must be an object with name and an optional value"));
            continue;
          }
          unknown(n, path, ARG, src, problems);
          String an = text(n, "name", path + ".name", true, src, problems);
          String av = text(n, "value", path + ".value", false, src, problems);
          if (an != null) {
            args.add(new AnalysisTemplate.Argument(an, av));
          }
        }
      }
      JsonNode ms = spec.get("metrics");
      if (ms == null || !ms.isArray()) {
        problems.add(src.problem("spec.metrics", "required: a list of metrics"));
      } else {
        for (int i = 0; i < ms.size(); i++) {
          Metric m = metric(ms.get(i), "spec.metrics[" + i + "]", src, problems);
          if (m != null) {
            metrics.add(m);
          }
        }
      }
      JsonNode dry = spec.get("dryRun");
      if (dry != null && !dry.isArray()) {
        problems.add(src.problem("spec.dryRun", "must be a list of {metricName}"));
      } else if (dry != null) {
        for (int i = 0; i < dry.size(); i++) {
          String path = "spec.dryRun[" + i + "]";
          JsonNode n = dry.get(i);
          if (!n.isObject()) {
            problems.add(src.problem(path, "must be an object with metricName"));
            continue;
          }
          unknown(n, path, DRY_RUN, src, problems);
          String rule = text(n, "metricName", path + ".metricName", true, src, problems);
          if (rule != null) {
            dryRun.add(rule);
          }
        }
      }
      JsonNode kept = spec.get("measurementRetention");
      if (kept != null && !kept.isArray()) {
        problems.add(src.problem("spec.measurementRetention", "must be a list of {metricName, limit}"));
      } else if (kept != null) {
        for (int i = 0; i < kept.size(); i++) {
          String path = "spec.measurementRetention[" + i + "]";
          JsonNode n = kept.get(i);
          if (!n.isObject()) {
            problems.add(src.problem(path, "must be an object with metricName and limit"));
            continue;
          }
          unknown(n, path, RETENTION, src, problems);
          String rule = text(n, "metricName", path + ".metricName", true, src, problems);
          Integer limit = integer(n, "limit", path, src, problems);
          if (limit == null && !n.has("limit")) {
            problems.add(src.problem(path + ".limit", "required"));
          }
          if (rule != null && limit != null) {
            retention.add(new AnalysisTemplate.Retention(rule, limit));
          }
        }
      }
    }
    if (problems.isEmpty() && name != null) {
      try {
        return new AnalysisTemplate(name, args, metrics, dryRun, retention);
      } catch (ValidationException e) {
        e.problems().forEach(p -> problems.add(src.problem(p.path(), p.message())));
      }
    }
    throw new ValidationException("AnalysisTemplate" + (name == null ? "" : " '" + name + "'"), problems);
  }

  private static @Nullable Metric metric(JsonNode n, String path, SourceMap src, List<Problem> problems) {
    if (!n.isObject()) {
      problems.add(src.problem(path, "must be an object with name, provider and conditions"));
      return null;
    }
    int before = problems.size();
    unknown(n, path, METRIC, src, problems);
    String name = text(n, "name", path + ".name", true, src, problems);
    String provider = null;
    String query = null;
    Map<String, String> options = new java.util.TreeMap<>();
    JsonNode p = n.get("provider");
    if (p == null || !p.isObject() || p.size() != 1) {
      problems.add(src.problem(path + ".provider", "required: an object with exactly one provider, e.g. {prometheus: {query: ...}}"));
    } else {
      provider = p.propertyNames().iterator().next();
      JsonNode body = p.get(provider);
      String bp = path + ".provider." + provider;
      if (!body.isObject()) {
        problems.add(src.problem(bp, "must be an object with query and the provider's options"));
      } else {
        query = text(body, "query", bp + ".query", true, src, problems);
        for (String k : body.propertyNames()) {
          if (!k.equals("query")) {
            JsonNode v = body.get(k);
            if (v.isObject() || v.isArray() || v.isNull()) {
              problems.add(src.problem(bp + "." + k, "must be a string, number or boolean"));
            } else {
              options.put(k, v.asString());
            }
          }
        }
      }
    }
    Duration interval = duration(n, "interval", path, src, problems);
    Duration initialDelay = duration(n, "initialDelay", path, src, problems);
    Integer count = integer(n, "count", path, src, problems);
    Integer failureLimit = integer(n, "failureLimit", path, src, problems);
    Integer inconclusiveLimit = integer(n, "inconclusiveLimit", path, src, problems);
    Integer consecutiveErrorLimit = integer(n, "consecutiveErrorLimit", path, src, problems);
    String success = text(n, "successCondition", path + ".successCondition", false, src, problems);
    String failure = text(n, "failureCondition", path + ".failureCondition", false, src, problems);
    if (problems.size() > before || name == null || provider == null || query == null) {
      return null;
    }
    Metric.Builder b = Metric.builder(name, provider, query).interval(interval).count(count)
        .successCondition(success).failureCondition(failure);
    options.forEach(b::option);
    if (initialDelay != null) {
      b.initialDelay(initialDelay);
    }
    if (failureLimit != null) {
      b.failureLimit(failureLimit);
    }
    if (inconclusiveLimit != null) {
      b.inconclusiveLimit(inconclusiveLimit);
    }
    if (consecutiveErrorLimit != null) {
      b.consecutiveErrorLimit(consecutiveErrorLimit);
    }
    try {
      return b.build();
    } catch (ValidationException e) {
      String providerPath = path + ".provider." + provider;
      e.problems().forEach(pr -> problems.add(src.problem(pr.path().startsWith("options.")
          ? providerPath + pr.path().substring("options".length())
          : pr.path().equals("provider") ? path + ".provider" : path + "." + pr.path(), pr.message())));
      return null;
    }
  }

  private static @Nullable Duration duration(JsonNode n, String field, String path, SourceMap src, List<Problem> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return Duration.ofSeconds(v.asLong()); // Argo reads a bare number as seconds
    }
    if (!v.isString()) {
      problems.add(src.problem(path + "." + field, "must be a duration like 30s, 1m or 1h30m"));
      return null;
    }
    try {
      return Workflow.parseDuration(v.asString());
    } catch (IllegalArgumentException e) {
      problems.add(src.problem(path + "." + field, e.getMessage()));
      return null;
    }
  }

  private static @Nullable Integer integer(JsonNode n, String field, String path, SourceMap src, List<Problem> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    if (v.isString()) {
      try {
        return Integer.parseInt(v.asString().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(src.problem(path + "." + field, "must be a whole number, got " + v));
    return null;
  }

  private static @Nullable String text(JsonNode n, String field, String path, boolean required, SourceMap src,
      List<Problem> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(src.problem(path, "required"));
      }
      return null;
    }
    if (!v.isString()) {
      problems.add(src.problem(path, "must be a string"));
      return null;
    }
    return v.asString();
  }

  private static void unknown(JsonNode n, String path, Set<String> known, SourceMap src, List<Problem> problems) {
    for (String k : n.propertyNames()) {
      if (!known.contains(k)) {
        problems.add(src.problem(path.isEmpty() ? k : path + "." + k, "unknown field; known: " + new TreeSet<>(known)));
      }
    }
  }
}
