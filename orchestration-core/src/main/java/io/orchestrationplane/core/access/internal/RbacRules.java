package io.orchestrationplane.core.access.internal;

import io.orchestrationplane.core.access.AccessDecision;
import io.orchestrationplane.core.access.AccessRequest;
import io.orchestrationplane.core.access.Action;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Argo CD RBAC policy lines, parsed and evaluated as Argo CD's Casbin model and its API server's
 * claims enforcer do: {@code p} lines grant or deny a subject an action on a resource's objects
 * (globs), {@code g} lines give a user or group a role, transitively up to Casbin's ten levels.
 * Each subject is decided on its own, the default role first, then the caller's name, then each
 * of its groups that a {@code g} line names: the first that allows wins, and within one a
 * matching {@code deny} overrides any {@code allow}. The roles each subject reaches and the lines
 * that apply to it are resolved once, here, so a decision allocates nothing but its result.
 * Immutable.
 */
public final class RbacRules {
  /** Argo CD's resources: lines about them parse; only {@code applications} is asked by the plane. */
  static final Set<String> RESOURCES = Set.of("applications", "applicationsets", "clusters", "projects",
      "repositories", "write-repositories", "certificates", "accounts", "gpgkeys", "logs", "exec", "extensions");
  /** Argo CD's application actions the plane does not ask for, accepted in lines about applications. */
  static final Set<String> ARGO_ACTIONS = Set.of("create", "update", "invoke");
  /** Casbin's default role manager follows at most this many {@code g} links from a subject. */
  static final int MAX_ROLE_DEPTH = 10;

  /** One {@code p} line. */
  record Rule(String subject, Glob resource, Glob action, Glob object, boolean allow, String source, int line,
      String text, int order) {
    /**
     * {@code alsoAction} is a second action name the request is asked as (null for none); {@code
     * applicationObject} is null for a request about the whole application.
     */
    boolean matches(String requestAction, @Nullable String alsoAction, String requestObject,
        @Nullable String applicationObject) {
      if (!action.matches(requestAction) && (alsoAction == null || !action.matches(alsoAction))) {
        return false;
      }
      // a line about the application covers each of its environments
      return object.matches(requestObject) || (applicationObject != null && object.matches(applicationObject));
    }

    String describe() {
      return source + " line " + line + " (" + text + ")";
    }
  }

  /** A line about applications that applies to a subject, and the role chain through which it does. */
  record Grant(Rule rule, String path) { }

  private static final Grant[] NONE = new Grant[0];

  /** For each subject, the lines about applications of it and of every role it reaches. */
  private final Map<String, Grant[]> grantsOf;
  /** The users and groups a {@code g} line names first: the only groups Argo CD's server consults. */
  private final Set<String> bound;
  private final @Nullable String defaultRole;
  private final Grant[] defaultGrants;

  private RbacRules(Map<String, Grant[]> grantsOf, Set<String> bound, @Nullable String defaultRole) {
    this.grantsOf = grantsOf;
    this.bound = bound;
    this.defaultRole = defaultRole;
    this.defaultGrants = defaultRole == null ? NONE : grantsOf.getOrDefault(defaultRole, NONE);
  }

  /** The built-in roles, as Argo CD's {@code builtin-policy.csv} for applications. */
  static final String BUILT_IN = """
      p, role:readonly, applications, get, */*, allow
      p, role:admin, applications, *, */*, allow
      g, role:admin, role:readonly
      g, admin, role:admin
      """;

  /**
   * Parses every source (name, text), after the built-in roles; throws {@link
   * io.orchestrationplane.core.access.RbacPolicyException} listing every bad line.
   */
  public static RbacRules parse(List<Map.Entry<String, String>> sources, @Nullable String defaultRole) {
    List<Rule> rules = new ArrayList<>();
    Map<String, List<String>> roles = new LinkedHashMap<>();
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
    return new RbacRules(resolve(rules, roles, defaultRole), Set.copyOf(roles.keySet()), defaultRole);
  }

  /**
   * For every subject a line names: the lines about applications that apply to it, in policy
   * order, each with the role chain that brings it ({@code alice → role:deployer}).
   */
  private static Map<String, Grant[]> resolve(List<Rule> rules, Map<String, List<String>> roles,
      @Nullable String defaultRole) {
    Map<String, List<Rule>> bySubject = new HashMap<>();
    for (Rule r : rules) {
      if (r.resource().matches(AccessRequest.RESOURCE)) {
        bySubject.computeIfAbsent(r.subject(), k -> new ArrayList<>()).add(r);
      }
    }
    Set<String> subjects = new TreeSet<>(bySubject.keySet());
    roles.forEach((who, its) -> {
      subjects.add(who);
      subjects.addAll(its);
    });
    if (defaultRole != null) {
      subjects.add(defaultRole);
    }
    Map<String, Grant[]> out = new HashMap<>();
    for (String start : subjects) {
      Map<String, String> via = reach(start, roles);
      List<Grant> grants = new ArrayList<>();
      for (String role : via.keySet()) {
        for (Rule r : bySubject.getOrDefault(role, List.of())) {
          grants.add(new Grant(r, path(role, via)));
        }
      }
      if (!grants.isEmpty()) {
        grants.sort(Comparator.comparingInt(g -> g.rule().order()));
        out.put(start, grants.toArray(NONE));
      }
    }
    return Map.copyOf(out);
  }

  /**
   * The subject and the roles its {@code g} lines reach, breadth first and at most {@link
   * #MAX_ROLE_DEPTH} links away (as Casbin's role manager), each mapped to the one it was reached
   * from (the subject to itself).
   */
  private static Map<String, String> reach(String start, Map<String, List<String>> roles) {
    Map<String, String> via = new LinkedHashMap<>();
    via.put(start, start);
    List<String> level = List.of(start);
    for (int depth = 1; depth <= MAX_ROLE_DEPTH && !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String s : level) {
        for (String role : roles.getOrDefault(s, List.of())) {
          if (!via.containsKey(role)) {
            via.put(role, s);
            next.add(role);
          }
        }
      }
      level = next;
    }
    return via;
  }

  private static String path(String role, Map<String, String> via) {
    if (via.get(role).equals(role)) {
      return "";
    }
    ArrayDeque<String> chain = new ArrayDeque<>();
    for (String s = role; ; s = via.get(s)) {
      chain.addFirst(s);
      if (via.get(s).equals(s)) {
        break;
      }
    }
    return ", through " + String.join(" → ", chain);
  }

  private static @Nullable String parseLine(String source, int number, String raw, List<Rule> rules,
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
      List<String> its = roles.computeIfAbsent(fields.get(1), k -> new ArrayList<>());
      if (!its.contains(fields.get(2))) {
        its.add(fields.get(2));
      }
      return null;
    }
    if (!type.equals("p")) {
      return "a line starts with 'p' (a policy) or 'g' (a role binding), not '" + type + "'";
    }
    if (fields.size() != 6) {
      return "a 'p' line has 6 fields (p, <subject>, <resource>, <action>, <object>, <allow|deny>), this one has "
          + fields.size() + (fields.size() == 5 ? " (Argo CD refuses a policy line without its effect)" : "");
    }
    String resource = fields.get(2);
    String action = fields.get(3);
    String effect = fields.get(5);
    if (!effect.equals("allow") && !effect.equals("deny")) {
      return "the effect must be 'allow' or 'deny', was '" + effect + "'"
          + (effect.equalsIgnoreCase("allow") || effect.equalsIgnoreCase("deny")
              ? " (Argo CD compares it case-sensitively and would ignore the line)" : "");
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
      return "unknown resource '" + resource + "' (known: " + String.join(", ", new TreeSet<>(RESOURCES)) + ")"
          + caseHint(RESOURCES.contains(resource.toLowerCase(Locale.ROOT)));
    }
    if (resource.equals(AccessRequest.RESOURCE) && actionGlob.isLiteral() && !knownApplicationAction(action)) {
      return "unknown action '" + action + "' on applications (the plane's: get, plan, sync or apply, delete or "
          + "remove, rollback, approve, override; Argo CD's create, update, action/..., update/..., delete/... are "
          + "accepted and never asked)" + caseHint(knownApplicationAction(action.toLowerCase(Locale.ROOT)));
    }
    rules.add(new Rule(fields.get(1), resourceGlob, actionGlob, objectGlob, effect.equals("allow"), source, number,
        line, rules.size()));
    return null;
  }

  private static String caseHint(boolean knownInLowerCase) {
    return knownInLowerCase ? "; names are case-sensitive, as in Argo CD" : "";
  }

  /** {@code apply} and {@code remove}, the plane's synonyms, as the actions they name; any other action as is. */
  private static String canonicalAction(String action) {
    return switch (action) {
      case "apply" -> Action.SYNC.policyName();
      case "remove" -> Action.DELETE.policyName();
      default -> action;
    };
  }

  private static boolean knownApplicationAction(String action) {
    return action.equals("apply") || action.equals("remove") || isPlaneAction(action) || ARGO_ACTIONS.contains(action)
        || action.startsWith("action/") || action.startsWith("update/") || action.startsWith("delete/");
  }

  private static boolean isPlaneAction(String action) {
    for (Action a : Action.values()) {
      if (a.policyName().equals(action)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Splits a CSV line as Argo CD does (Go's CSV reader, leading spaces of a field skipped): a
   * field may be double-quoted, to hold commas ({@code ""} is a quote), and then ends at its
   * closing quote; a quote inside an unquoted field, or anything but a comma after a closing
   * quote, is an error. A space before a comma is refused too: Argo CD keeps it as part of the
   * value, which then names another subject or never matches.
   */
  static List<String> csvFields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
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
        if (i < line.length() && line.charAt(i) != ',') {
          throw new IllegalArgumentException("unexpected '" + line.charAt(i) + "' after a quoted field at column "
              + (i + 1) + " (a comma must follow the closing quote)");
        }
        out.add(field.toString());
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? line.length() : comma;
        String value = line.substring(i, end);
        int quote = value.indexOf('"');
        if (quote >= 0) {
          throw new IllegalArgumentException("a quote inside unquoted field " + (out.size() + 1) + " at column "
              + (i + quote + 1) + " (quote the whole field)");
        }
        if (!value.isEmpty() && Character.isWhitespace(value.charAt(value.length() - 1))) {
          throw new IllegalArgumentException("field " + (out.size() + 1) + " ('" + value + "') ends with a space "
              + "before its comma, which Argo CD keeps as part of the value");
        }
        out.add(value);
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

  /**
   * Decides a request as Argo CD's API server does: the default role first (no deny of another
   * subject takes its permissions away), then the caller's name, then each of its groups that a
   * {@code g} line names; a project role ({@code proj:<project>:<role>}) acts in its own project
   * only, and without groups.
   */
  public AccessDecision decide(AccessRequest request) {
    String action = request.action().policyName();
    // Argo CD's server asks 'sync' for a rollback: a line about either answers the plane's rollback
    String also = request.action() == Action.ROLLBACK ? Action.SYNC.policyName() : null;
    String object = request.object();
    String applicationObject = request.environment() == null ? null : request.applicationObject();
    if (defaultRole != null) {
      Grant allowing = evaluate(defaultGrants, action, also, object, applicationObject);
      if (allowing != null && allowing.rule().allow()) {
        return AccessDecision.allowed("allowed to every subject by the default role " + defaultRole + ": "
            + allowing.rule().describe() + allowing.path());
      }
    }
    String name = request.subject().name();
    String tokenProject = projectOfRole(name);
    if (tokenProject != null && !tokenProject.equals(request.project())) {
      return AccessDecision.denied("the project role " + name + " acts only in project " + tokenProject);
    }
    Grant deciding = evaluate(grantsOf.getOrDefault(name, NONE), action, also, object, applicationObject);
    if (deciding != null && deciding.rule().allow()) {
      return allowed(deciding);
    }
    Grant denying = deciding;
    if (tokenProject == null) {
      for (String group : request.subject().groups()) {
        if (!bound.contains(group)) {
          continue; // Argo CD's server consults only the groups a g line names
        }
        Grant g = evaluate(grantsOf.getOrDefault(group, NONE), action, also, object, applicationObject);
        if (g != null && g.rule().allow()) {
          return allowed(g);
        }
        if (denying == null) {
          denying = g;
        }
      }
    }
    if (denying != null) {
      return AccessDecision.denied("denied by " + denying.rule().describe() + denying.path());
    }
    return AccessDecision.denied("no policy line allows it" + (defaultRole == null ? ""
        : " (nor the default role " + defaultRole + ")") + unboundGroups(request));
  }

  private static AccessDecision allowed(Grant g) {
    return AccessDecision.allowed("allowed by " + g.rule().describe() + g.path());
  }

  /** The caller's groups that lines name but no {@code g} line does, which Argo CD never consults. */
  private String unboundGroups(AccessRequest request) {
    List<String> unbound = new ArrayList<>();
    for (String group : request.subject().groups()) {
      if (!bound.contains(group) && grantsOf.containsKey(group)) {
        unbound.add(group);
      }
    }
    return unbound.isEmpty() ? "" : "; group " + String.join(", ", unbound) + " is named in p lines but in no g "
        + "line, and Argo CD consults a caller's group only through a g line";
  }

  /** {@code shop} for {@code proj:shop:ci} (a project role), else null. */
  private static @Nullable String projectOfRole(String name) {
    if (!name.startsWith("proj:")) {
      return null;
    }
    int second = name.indexOf(':', 5);
    if (second < 0 || name.indexOf(':', second + 1) >= 0) {
      return null;
    }
    return name.substring(5, second);
  }

  /** The deny line that matches, else the first allow line that matches, else null. */
  private static @Nullable Grant evaluate(Grant[] grants, String action, @Nullable String also, String object,
      @Nullable String applicationObject) {
    Grant allowing = null;
    for (Grant g : grants) {
      Rule r = g.rule();
      if (r.matches(action, also, object, applicationObject)) {
        if (!r.allow()) {
          return g;
        }
        if (allowing == null) {
          allowing = g;
        }
      }
    }
    return allowing;
  }

  public @Nullable String defaultRole() {
    return defaultRole;
  }
}
