package io.orchestrationplane.delivery.internal;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.SourceMap;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.delivery.ApprovalRule;
import io.orchestrationplane.delivery.ChangeWindow;
import io.orchestrationplane.delivery.CronSchedule;
import io.orchestrationplane.delivery.OnFailure;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.Workflow;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The YAML/JSON form of a {@link Workflow}, read with field positions. */
public final class WorkflowCodec {
  private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> SPEC = Set.of("steps", "windows");
  private static final Set<String> STEP = Set.of("name", "type", "dependsOn", "timeout", "retries", "retryDelay",
      "onFailure", "properties");
  private static final Set<String> WINDOW = Set.of("kind", "environments", "schedule", "duration", "timeZone", "override");
  private static final Set<String> RULE = Set.of("required", "approvers", "groups", "allowAuthor");

  private WorkflowCodec() {}

  /** Reads YAML or JSON; every problem with its path, line and column. */
  public static Workflow read(String yaml) {
    SourceMap.Located doc = SourceMap.readYaml("Workflow document", yaml);
    return decode(doc.tree(), doc.source());
  }

  /** Decodes a tree without positions (the stored form). */
  public static Workflow fromTree(JsonNode tree) {
    return decode(tree, SourceMap.EMPTY);
  }

  public static String write(Workflow w) {
    return Json.writeYaml(toTree(w));
  }

  public static ObjectNode toTree(Workflow w) {
    ObjectNode root = Json.object();
    root.put("apiVersion", Workflow.API_VERSION);
    root.put("kind", Workflow.KIND);
    root.putObject("metadata").put("name", w.name());
    ObjectNode spec = root.putObject("spec");
    ArrayNode steps = spec.putArray("steps");
    for (Step s : w.steps()) {
      ObjectNode n = steps.addObject();
      n.put("name", s.name());
      n.put("type", s.type());
      ArrayNode deps = n.putArray("dependsOn");
      s.dependsOn().forEach(deps::add);
      if (s.timeout() != null) {
        n.put("timeout", Workflow.format(s.timeout()));
      }
      if (s.retries() != 0) {
        n.put("retries", s.retries());
      }
      if (!s.retryDelay().equals(Step.DEFAULT_RETRY_DELAY)) {
        n.put("retryDelay", Workflow.format(s.retryDelay()));
      }
      if (s.onFailure() != OnFailure.STOP) {
        n.put("onFailure", s.onFailure().name().toLowerCase(Locale.ROOT));
      }
      if (!s.properties().isEmpty()) {
        n.set("properties", Json.JSON.valueToTree(s.properties()));
      }
    }
    if (!w.windows().isEmpty()) {
      ArrayNode windows = spec.putArray("windows");
      for (ChangeWindow cw : w.windows()) {
        ObjectNode n = windows.addObject();
        n.put("kind", cw.kind().name().toLowerCase(Locale.ROOT));
        if (!cw.environments().isEmpty()) {
          ArrayNode envs = n.putArray("environments");
          new TreeSet<>(cw.environments()).forEach(envs::add);
        }
        n.put("schedule", cw.schedule().expression());
        n.put("duration", Workflow.format(cw.duration()));
        n.put("timeZone", cw.zone().getId());
        if (cw.override() != null) {
          n.set("override", rule(cw.override()));
        }
      }
    }
    return root;
  }

  private static ObjectNode rule(ApprovalRule r) {
    ObjectNode n = Json.object();
    n.put("required", r.required());
    ArrayNode a = n.putArray("approvers");
    new TreeSet<>(r.approvers()).forEach(a::add);
    ArrayNode g = n.putArray("groups");
    new TreeSet<>(r.groups()).forEach(g::add);
    n.put("allowAuthor", r.allowAuthor());
    return n;
  }

  private static Workflow decode(JsonNode root, SourceMap src) {
    List<Problem> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new ValidationException("Workflow document", List.of(src.problem("", "expected an object with apiVersion, kind, metadata and spec")));
    }
    unknown(root, "", ENVELOPE, src, problems);
    String apiVersion = text(root, "apiVersion", "apiVersion", true, src, problems);
    if (apiVersion != null && !apiVersion.equals(Workflow.API_VERSION)) {
      problems.add(src.problem("apiVersion", "must be " + Workflow.API_VERSION + ", got '" + apiVersion + "'"));
    }
    String kind = text(root, "kind", "kind", true, src, problems);
    if (kind != null && !kind.equals(Workflow.KIND)) {
      problems.add(src.problem("kind", "must be " + Workflow.KIND + ", got '" + kind + "'"));
    }
    String name = null;
    JsonNode metadata = root.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      problems.add(src.problem("metadata", "required: an object with the workflow's name"));
    } else {
      name = text(metadata, "name", "metadata.name", true, src, problems);
    }
    List<Step> steps = new ArrayList<>();
    List<ChangeWindow> windows = new ArrayList<>();
    JsonNode spec = root.get("spec");
    if (spec == null || !spec.isObject()) {
      problems.add(src.problem("spec", "required: an object with steps"));
    } else {
      unknown(spec, "spec", SPEC, src, problems);
      JsonNode list = spec.get("steps");
      if (list == null || !list.isArray()) {
        problems.add(src.problem("spec.steps", "required: a list of steps"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          Step s = step(list.get(i), "spec.steps[" + i + "]", src, problems);
          if (s != null) {
            steps.add(s);
          }
        }
      }
      JsonNode ws = spec.get("windows");
      if (ws != null && !ws.isArray()) {
        problems.add(src.problem("spec.windows", "must be a list of change windows"));
      }
      for (int i = 0; ws != null && ws.isArray() && i < ws.size(); i++) {
        ChangeWindow w = window(ws.get(i), "spec.windows[" + i + "]", src, problems);
        if (w != null) {
          windows.add(w);
        }
      }
    }
    String subject = "Workflow " + (name == null ? "document" : "'" + name + "'");
    if (!problems.isEmpty() || name == null) {
      throw new ValidationException(subject, problems);
    }
    try {
      return new Workflow(name, steps, windows);
    } catch (ValidationException e) {
      // the model's problems carry paths; the document knows their lines
      throw new ValidationException(subject, e.problems().stream().map(p -> src.problem(p.path(), p.message())).toList());
    }
  }

  private static @Nullable Step step(JsonNode n, String path, SourceMap src, List<Problem> problems) {
    if (!n.isObject()) {
      problems.add(src.problem(path, "must be an object with name and type"));
      return null;
    }
    int before = problems.size();
    unknown(n, path, STEP, src, problems);
    String name = text(n, "name", path + ".name", true, src, problems);
    String type = text(n, "type", path + ".type", true, src, problems);
    List<String> deps = null;
    JsonNode d = n.get("dependsOn");
    if (d != null) {
      deps = new ArrayList<>();
      if (!d.isArray()) {
        problems.add(src.problem(path + ".dependsOn", "must be a list of step names"));
      } else {
        for (int i = 0; i < d.size(); i++) {
          if (!d.get(i).isString()) {
            problems.add(src.problem(path + ".dependsOn[" + i + "]", "must be a step name"));
          } else {
            deps.add(d.get(i).asString());
          }
        }
      }
    }
    Duration timeout = duration(n, "timeout", path, src, problems);
    Duration retryDelay = duration(n, "retryDelay", path, src, problems);
    int retries = 0;
    JsonNode r = n.get("retries");
    if (r != null) {
      if (!r.isIntegralNumber() || !r.canConvertToInt()) {
        problems.add(src.problem(path + ".retries", "must be a whole number"));
      } else {
        retries = r.asInt();
      }
    }
    OnFailure onFailure = OnFailure.STOP;
    String of = text(n, "onFailure", path + ".onFailure", false, src, problems);
    if (of != null) {
      try {
        onFailure = OnFailure.valueOf(of.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(src.problem(path + ".onFailure", "must be stop or rollback, got '" + of + "'"));
      }
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    JsonNode p = n.get("properties");
    if (p != null) {
      if (!p.isObject()) {
        problems.add(src.problem(path + ".properties", "must be an object"));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = Json.JSON.convertValue(p, Map.class);
        properties.putAll(values);
      }
    }
    if (problems.size() > before || name == null || type == null) {
      return null;
    }
    return new Step(name, type, deps, timeout, retries, retryDelay == null ? Step.DEFAULT_RETRY_DELAY : retryDelay,
        onFailure, properties);
  }

  private static @Nullable ChangeWindow window(JsonNode n, String path, SourceMap src, List<Problem> problems) {
    if (!n.isObject()) {
      problems.add(src.problem(path, "must be an object with kind, schedule, duration and timeZone"));
      return null;
    }
    int before = problems.size();
    unknown(n, path, WINDOW, src, problems);
    ChangeWindow.Kind kind = null;
    String k = text(n, "kind", path + ".kind", true, src, problems);
    if (k != null) {
      try {
        kind = ChangeWindow.Kind.valueOf(k.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(src.problem(path + ".kind", "must be allow or deny, got '" + k + "'"));
      }
    }
    List<String> envs = new ArrayList<>();
    JsonNode e = n.get("environments");
    if (e != null) {
      if (!e.isArray()) {
        problems.add(src.problem(path + ".environments", "must be a list of environment names"));
      } else {
        for (int i = 0; i < e.size(); i++) {
          if (!e.get(i).isString()) {
            problems.add(src.problem(path + ".environments[" + i + "]", "must be an environment name"));
          } else {
            envs.add(e.get(i).asString());
          }
        }
      }
    }
    CronSchedule schedule = null;
    String cron = text(n, "schedule", path + ".schedule", true, src, problems);
    if (cron != null) {
      try {
        schedule = CronSchedule.parse(cron);
      } catch (IllegalArgumentException ex) {
        problems.add(src.problem(path + ".schedule", ex.getMessage()));
      }
    }
    Duration duration = duration(n, "duration", path, src, problems);
    if (duration == null && !n.has("duration")) {
      problems.add(src.problem(path + ".duration", "required: how long the window stays open (7h, 14d)"));
    }
    ZoneId zone = ZoneId.of("UTC");
    String tz = text(n, "timeZone", path + ".timeZone", false, src, problems);
    if (tz != null) {
      try {
        zone = ZoneId.of(tz);
      } catch (java.time.DateTimeException ex) {
        problems.add(src.problem(path + ".timeZone", "'" + tz + "' is not a time zone like Europe/Berlin or UTC"));
      }
    }
    ApprovalRule override = null;
    JsonNode o = n.get("override");
    if (o != null) {
      if (!o.isObject()) {
        problems.add(src.problem(path + ".override", "must be an approval rule: required, approvers, groups"));
      } else {
        unknown(o, path + ".override", RULE, src, problems);
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> values = Json.JSON.convertValue(o, Map.class);
          override = WorkflowRules.approvalRule(new Step("override", "approval", null, null, 0, Step.DEFAULT_RETRY_DELAY,
              OnFailure.STOP, values)); // a null value is the rule's to refuse, not Map.copyOf's
        } catch (IllegalArgumentException ex) {
          problems.add(src.problem(path + ".override", ex.getMessage()));
        }
      }
    }
    if (problems.size() > before || kind == null || schedule == null || duration == null) {
      return null;
    }
    try {
      return new ChangeWindow(kind, Set.copyOf(envs), schedule, duration, zone, override);
    } catch (IllegalArgumentException ex) {
      problems.add(src.problem(path + ".duration", ex.getMessage()));
      return null;
    }
  }

  private static @Nullable Duration duration(JsonNode n, String field, String path, SourceMap src, List<Problem> problems) {
    JsonNode v = n.get(field);
    if (v == null) {
      return null;
    }
    if (v.isContainer()) {
      problems.add(src.problem(path + "." + field, "must be a duration like 90s, 10m, 1h30m, 14d or PT10M"));
      return null;
    }
    try {
      return Workflow.parseDuration(v.asString());
    } catch (IllegalArgumentException e) {
      problems.add(src.problem(path + "." + field, e.getMessage()));
      return null;
    }
  }

  private static void unknown(JsonNode node, String path, Set<String> known, SourceMap src, List<Problem> problems) {
    for (String f : node.propertyNames()) {
      if (!known.contains(f)) {
        String p = path.isEmpty() ? f : path + "." + f;
        problems.add(src.problem(p, "unknown field; known: " + new TreeSet<>(known)));
      }
    }
  }

  private static @Nullable String text(JsonNode parent, String field, String path, boolean required, SourceMap src,
      List<Problem> problems) {
    JsonNode v = parent.get(field);
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
}
