package io.orchestrationplane.core.access.internal;

import io.orchestrationplane.core.access.AccessDecision;
import io.orchestrationplane.core.access.AccessRequest;
import io.orchestrationplane.core.access.Action;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Argo CD RBAC policy lines, parsed and evaluated as Argo CD's Casbin model does: {@code p} lines
 * grant or deny a subject an action on a resource's objects (globs), {@code g} lines give a user
 * or group a role (transitively); a matching {@code deny} overrides any {@code allow}; the default
 * role is enforced on its own first, so no deny line can take its permissions away. Immutable.
 */
public final class RbacRules {
  /** Argo CD's resources: lines about them parse; only {@code applications} is asked by the plane. */
  static final Set<String> RESOURCES = Set.of("applications", "applicationsets", "clusters", "projects",
      "repositories", "write-repositories", "certificates", "accounts", "gpgkeys", "logs", "exec", "extensions");
  /** Argo CD's application actions the plane does not ask for, accepted in lines about applications. */
  static final Set<String> ARGO_ACTIONS = Set.of("create", "update", "invoke");

  /** One {@code p} line. */
  record Rule(String subject, Glob resource, Glob action, Glob object, boolean allow, String source, int line,
      String text) {
    /** {@code applicationObject} is null for a request about the whole application. */
    boolean matches(String requestAction, String requestObject, @Nullable String applicationObject) {
      if (!resource.matches(AccessRequest.RESOURCE) || !action.matches(requestAction)) {
        return false;
      }
      // a line about the application covers each of its environments
      return object.matches(requestObject) || (applicationObject != null && object.matches(applicationObject));
    }

    String describe() {
      return source + " line " + line + " (" + text + ")";
    }
  }

  private final Map<String, List<Rule>> rulesBySubject;
  private final Map<String, List<String>> rolesOf;
  private final @Nullable String defaultRole;
  /** The default role and every role it has, expanded once. */
  private final Set<String> defaultRoles;

  private RbacRules(Map<String, List<Rule>> rulesBySubject, Map<String, List<String>> rolesOf,
      @Nullable String defaultRole) {
    this.rulesBySubject = rulesBySubject;
    this.rolesOf = rolesOf;
    this.defaultRole = defaultRole;
    this.defaultRoles = defaultRole == null ? Set.of() : expand(List.of(defaultRole), new HashMap<>());
  }

  /** The built-in roles, as Argo CD's {@code builtin-policy.csv} for applications. */
  static final String BUILT_IN = """
      p, role:readonly, applications, get, */*, allow
      p, role:admin, applications, *, */*, allow
      g, role:admin, role:readonly
      """;

  /**
   * Parses every source (name, text), after the built-in roles; throws {@link
   * io.orchestrationplane.core.access.RbacPolicyException} listing every bad line.
   */
  public static RbacRules parse(List<Map.Entry<String, String>> sources, @Nullable String defaultRole) {
    Map<String, List<Rule>> rules = new HashMap<>();
    Map<String, List<String>> roles = new HashMap<>();
    List<String> problems = new ArrayList<>();
    List<Map.Entry<String, String>> all = new ArrayList<>();
    all.add(Map.entry("built-in policy", BUILT_IN));
    all.addAll(sources);
    for (Map.Entry<String, String> source : all) {
      String[] lines = source.getValue().split("\r?\n|\r", -1);
      for (int i = 0; i < lines.length; i++) {
        String problem = parseLine(source.getKey(), i + 1, lines[i], rules, roles);
        if (problem != null) {
          problems.add(source.getKey() + " line " + (i + 1) + ": " + problem);
        }
      }
    }
    if (defaultRole != null && defaultRole.isBlank()) {
      problems.add("the default role must not be blank");
    }
    if (!problems.isEmpty()) {
      throw new io.orchestrationplane.core.access.RbacPolicyException(problems);
    }
    Map<String, List<Rule>> frozenRules = new HashMap<>();
    rules.forEach((k, v) -> frozenRules.put(k, List.copyOf(v)));
    Map<String, List<String>> frozenRoles = new HashMap<>();
    roles.forEach((k, v) -> frozenRoles.put(k, List.copyOf(v)));
    return new RbacRules(Map.copyOf(frozenRules), Map.copyOf(frozenRoles), defaultRole);
  }

  private static @Nullable String parseLine(String source, int number, String raw, Map<String, List<Rule>> rules,
      Map<String, List<String>> roles) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    List<String> fields;
    try {
      fields = csvFields(line);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    for (int f = 0; f < fields.size(); f++) {
      if (fields.get(f).isEmpty()) {
        return "field " + (f + 1) + " is empty";
      }
    }
    String type = fields.get(0);
    if (type.equals("g")) {
      if (fields.size() != 3) {
        return "a 'g' line has 3 fields (g, <user or group>, <role>), this one has " + fields.size();
      }
      roles.computeIfAbsent(fields.get(1), k -> new ArrayList<>()).add(fields.get(2));
      return null;
    }
    if (!type.equals("p")) {
      return "a line starts with 'p' (a policy) or 'g' (a role binding), not '" + type + "'";
    }
    if (fields.size() != 5 && fields.size() != 6) {
      return "a 'p' line has 6 fields (p, <subject>, <resource>, <action>, <object>, <allow|deny>), this one has "
          + fields.size();
    }
    String resource = fields.get(2).toLowerCase(Locale.ROOT);
    String action = fields.get(3);
    String effect = fields.size() == 6 ? fields.get(5).toLowerCase(Locale.ROOT) : "allow";
    if (!effect.equals("allow") && !effect.equals("deny")) {
      return "the effect must be 'allow' or 'deny', was '" + fields.get(5) + "'";
    }
    Glob resourceGlob;
    Glob actionGlob;
    Glob objectGlob;
    try {
      resourceGlob = Glob.compile(resource);
      actionGlob = Glob.compile(canonicalAction(action));
      objectGlob = Glob.compile(fields.get(4));
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (resourceGlob.isLiteral() && !RESOURCES.contains(resource)) {
      return "unknown resource '" + fields.get(2) + "' (known: " + String.join(", ", new java.util.TreeSet<>(RESOURCES))
          + ")";
    }
    if (resource.equals(AccessRequest.RESOURCE) && actionGlob.isLiteral() && !knownApplicationAction(action)) {
      return "unknown action '" + action + "' on applications (the plane's: get, plan, sync or apply, delete or "
          + "remove, rollback, approve, override; Argo CD's create, update, action/..., update/..., delete/... are "
          + "accepted and never asked)";
    }
    rules.computeIfAbsent(fields.get(1), k -> new ArrayList<>()).add(new Rule(fields.get(1), resourceGlob, actionGlob,
        objectGlob, effect.equals("allow"), source, number, line));
    return null;
  }

  private static String canonicalAction(String action) {
    return Action.fromPolicyName(action).map(Action::policyName).orElse(action);
  }

  private static boolean knownApplicationAction(String action) {
    String a = action.toLowerCase(Locale.ROOT);
    return Action.fromPolicyName(a).isPresent() || ARGO_ACTIONS.contains(a) || a.startsWith("action/")
        || a.startsWith("update/") || a.startsWith("delete/");
  }

  /** Splits a CSV line: fields trimmed, double-quoted fields may hold commas ({@code ""} is a quote). */
  static List<String> csvFields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      if (i < line.length() && line.charAt(i) == '"') {
        int start = i + 1;
        i++;
        boolean closed = false;
        while (i < line.length()) {
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            closed = true;
            i++;
            break;
          }
          field.append(c);
          i++;
        }
        if (!closed) {
          throw new IllegalArgumentException("the quote opened at column " + start + " is not closed");
        }
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
          i++;
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new IllegalArgumentException("unexpected '" + line.charAt(i) + "' after a quoted field at column "
              + (i + 1));
        }
        out.add(field.toString());
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? line.length() : comma;
        out.add(line.substring(i, end).strip());
        i = end;
      }
      field.setLength(0);
      if (i >= line.length()) {
        return out;
      }
      i++; // the comma
      if (i >= line.length()) {
        out.add("");
        return out;
      }
    }
  }

  /** Decides a request: the default role first (no deny takes its permissions away), then the subject's own. */
  public AccessDecision decide(AccessRequest request) {
    String action = request.action().policyName();
    String object = request.object();
    String applicationObject = request.environment() == null ? null : request.applicationObject();
    if (defaultRole != null) {
      Rule allowing = evaluate(defaultRoles, action, object, applicationObject);
      if (allowing != null && allowing.allow()) {
        return AccessDecision.allowed("allowed to every subject by the default role " + defaultRole + ": "
            + allowing.describe());
      }
    }
    List<String> direct = new ArrayList<>(1 + request.subject().groups().size());
    direct.add(request.subject().name());
    direct.addAll(request.subject().groups());
    Map<String, String> via = new HashMap<>();
    Rule deciding = evaluate(expand(direct, via), action, object, applicationObject);
    if (deciding == null) {
      return AccessDecision.denied("no policy line allows it" + (defaultRole == null ? ""
          : " (nor the default role " + defaultRole + ")"));
    }
    String path = path(deciding.subject(), via);
    return deciding.allow()
        ? AccessDecision.allowed("allowed by " + deciding.describe() + path)
        : AccessDecision.denied("denied by " + deciding.describe() + path);
  }

  /** The deny line that matches, else the first allow line that matches, else null. */
  private @Nullable Rule evaluate(Set<String> subjects, String action, String object,
      @Nullable String applicationObject) {
    Rule allowing = null;
    for (String s : subjects) {
      List<Rule> rs = rulesBySubject.get(s);
      if (rs == null) {
        continue;
      }
      for (Rule r : rs) {
        if (r.matches(action, object, applicationObject)) {
          if (!r.allow()) {
            return r;
          }
          if (allowing == null) {
            allowing = r;
          }
        }
      }
    }
    return allowing;
  }

  /** The subjects and every role they have through {@code g} lines, transitively; {@code via} records how. */
  private Set<String> expand(List<String> start, Map<String, String> via) {
    Set<String> seen = new LinkedHashSet<>(start);
    ArrayDeque<String> todo = new ArrayDeque<>(start);
    while (!todo.isEmpty()) {
      String s = todo.poll();
      for (String role : rolesOf.getOrDefault(s, List.of())) {
        if (seen.add(role)) {
          via.put(role, s);
          todo.add(role);
        }
      }
    }
    return seen;
  }

  private static String path(String subject, Map<String, String> via) {
    if (!via.containsKey(subject)) {
      return "";
    }
    List<String> chain = new ArrayList<>();
    String s = subject;
    for (int guard = 0; s != null && guard < 64; guard++) {
      chain.add(0, s);
      s = via.get(s);
    }
    return ", through " + String.join(" → ", chain);
  }

  public @Nullable String defaultRole() {
    return defaultRole;
  }
}
