package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.Yaml;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.JsonNodeException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs Kyverno CLI test files ({@code kyverno-test.yaml}, {@code cli.kyverno.io/v1alpha1 Test}) for CEL policies
 * with this engine, as {@code kyverno test} does: every document of {@code resources} is admitted (CREATE, or the
 * {@code request.operation} of the values file's {@code globalValues}) and each expected result
 * ({@code policy}, {@code rule}, {@code resources}, {@code kind}, {@code result}) is compared with the engine's:
 * {@code pass} (the policy applied and every validation held), {@code fail} (a validation failed),
 * {@code error} (only evaluation errors), {@code skip} (it did not apply: unmatched, or a precondition /
 * match condition was false), {@code warn} (a failure of a policy annotated {@code policies.kyverno.io/scored:
 * "false"}). As {@code kyverno test} reports results whatever the validation action, Audit policies fail too.
 *
 * <p>Supported besides {@code policies} and {@code resources}: {@code paramResources} and {@code clusterResources}
 * (objects the cluster holds: params, Kyverno {@code resource.*} lookups, Namespaces), {@code userinfo} (a
 * {@code UserInfo} file's {@code requestInfo.userInfo}), and a {@code variables}/{@code values} file's
 * {@code namespaceSelector} (Namespace labels) and {@code globalValues.request.operation}. Kyverno autogen and
 * cel-go's lenient {@code orValue} are on, as in Kyverno. A file using anything else (JMESPath {@code policies}
 * values, {@code checks}, {@code patchedResources}, generate rules) gets a failed check naming it, never a silent
 * pass. Paths are relative to the test file.
 */
public final class KyvernoTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private KyvernoTest() {}

  /** One expected result for one resource, compared. */
  public record Check(String policy, String rule, String resource, String expected, String actual, boolean passed,
      String reason) {
    @Override public String toString() {
      return policy + (rule == null || rule.isEmpty() ? "" : "/" + rule) + " on " + resource + ": expected "
          + expected + ", got " + actual + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
  }

  /** The outcome of one test file. */
  public record Result(Path path, List<Check> checks) {
    public Result {
      checks = List.copyOf(checks);
    }

    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }

    public List<Check> failures() {
      return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** {@code N passed, N failed} followed by one line per failed check. */
    public String summary() {
      long passed = checks.stream().filter(Check::passed).count();
      StringBuilder sb = new StringBuilder(passed + " passed, " + (checks.size() - passed) + " failed");
      failures().forEach(f -> sb.append("\n  ").append(f));
      return sb.toString();
    }
  }

  /** Runs every {@code kyverno-test.yaml} under {@code dir}, recursively, in path order. */
  public static List<Result> runAll(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().equals("kyverno-test.yaml")).sorted()
          .map(KyvernoTest::run).toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot walk " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs one test file.
   *
   * @throws IllegalArgumentException when the file cannot be read or is not a Kyverno CLI Test
   */
  public static Result run(Path testFile) {
    List<JsonNode> docs = Yaml.readFile(testFile);
    if (docs.size() != 1 || !docs.get(0).path("kind").asString("").equals("Test")) {
      throw new IllegalArgumentException(testFile + ": not a Kyverno CLI test (expected one document with"
          + " apiVersion: cli.kyverno.io/v1alpha1 and kind: Test)");
    }
    return run(docs.get(0), testFile.toAbsolutePath().getParent(), testFile);
  }

  /** Runs a Test document whose paths are relative to {@code baseDir} (for tests assembled in code). */
  public static Result run(JsonNode test, Path baseDir) {
    return run(test, baseDir.toAbsolutePath(), baseDir);
  }

  private static Result run(JsonNode test, @Nullable Path dir, Path path) {
    try {
      return runTest(test, dir, path);
    } catch (JsonNodeException e) {
      throw new IllegalArgumentException(path + ": a list or an object where a single value (a file name, a name, a number) belongs", e);
    }
  }

  private static Result runTest(JsonNode test, @Nullable Path dir, Path path) {
    List<Check> checks = new ArrayList<>();
    for (String unsupported : List.of("checks", "exceptions", "jsonPayloads", "jsonPayload", "targetResources")) {
      if (test.has(unsupported) && !test.path(unsupported).isEmpty()) {
        checks.add(new Check("", "", "", "", "", false, "'" + unsupported + "' is not supported by this engine"));
      }
    }
    List<JsonNode> policyDocs = new ArrayList<>();
    for (JsonNode p : test.path("policies")) {
      policyDocs.addAll(Yaml.readFile(dir.resolve(p.asString())));
    }
    PolicySet set = PolicyLoader.using(KindMapping.defaults()).read(policyDocs);
    Set<String> unscored = new HashSet<>();
    for (JsonNode d : policyDocs) {
      if ("false".equals(d.path("metadata").path("annotations").path("policies.kyverno.io/scored").asString(""))) {
        unscored.add(d.path("metadata").path("name").asString(""));
      }
    }
    List<JsonNode> cluster = new ArrayList<>();
    for (String field : List.of("paramResources", "clusterResources")) {
      for (JsonNode p : test.path(field)) {
        cluster.addAll(Yaml.readFile(dir.resolve(p.asString())));
      }
    }
    Operation operation = Operation.CREATE;
    String valuesFile = test.path("variables").asString(test.path("values").isString() ? test.path("values").asString() : "");
    JsonNode values = valuesFile.isEmpty() ? test.path("values")
        : first(Yaml.readFile(dir.resolve(valuesFile)), valuesFile);
    for (JsonNode ns : values.path("namespaceSelector")) {
      ObjectNode n = F.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
      ObjectNode meta = n.putObject("metadata").put("name", ns.path("name").asString(""));
      meta.set("labels", ns.path("labels").isObject() ? ns.path("labels").deepCopy() : F.objectNode());
      cluster.add(n);
    }
    JsonNode op = values.path("globalValues").path("request.operation");
    if (op.isMissingNode()) {
      op = values.path("globalValues").path("request").path("operation");
    }
    if (op.isString()) {
      operation = Operation.parse(op.asString());
    }
    if (values.path("policies").isArray() && !values.path("policies").isEmpty()) {
      checks.add(new Check("", "", "", "", "", false,
          "values.policies (JMESPath variables for non-CEL rules) is not supported by this engine"));
    }
    UserInfo user = UserInfo.CLUSTER_ADMIN;
    String userFile = test.path("userinfo").asString("");
    if (!userFile.isEmpty()) {
      JsonNode u = first(Yaml.readFile(dir.resolve(userFile)), userFile).path("requestInfo").path("userInfo");
      List<String> groups = new ArrayList<>();
      u.path("groups").forEach(g -> groups.add(g.asString()));
      user = new UserInfo(u.path("username").asString(""), u.path("uid").asString(""), groups, null);
    }
    PolicyEngine engine = PolicyEngine.builder().policies(set).autogen(true).orValueOnNonOptional(true)
        .params(ParamResolver.of(cluster)).build();
    Map<JsonNode, Decision> decisions = new LinkedHashMap<>();
    List<JsonNode> resources = new ArrayList<>();
    for (JsonNode r : test.path("resources")) {
      resources.addAll(Yaml.readFile(dir.resolve(r.asString())));
    }
    for (JsonNode r : resources) {
      AdmissionRequest.Builder b = AdmissionRequest.builder(operation).object(r).userInfo(user);
      if (operation == Operation.UPDATE || operation == Operation.DELETE) {
        b.oldObject(r);
        if (operation == Operation.DELETE) {
          b.object(null);
        }
      }
      String ns = r.path("metadata").path("namespace").asString("");
      for (JsonNode c : cluster) {
        if (c.path("kind").asString("").equals("Namespace") && c.path("metadata").path("name").asString("").equals(ns)) {
          b.namespaceObject(c);
        }
      }
      decisions.put(r, engine.admit(b.build()).decision());
    }
    for (JsonNode expected : test.path("results")) {
      checks.addAll(check(expected, resources, decisions, set, unscored));
    }
    return new Result(path, checks);
  }

  /** The first document of a values or userinfo file; a file holding none is an error naming it. */
  private static JsonNode first(List<JsonNode> docs, String file) {
    if (docs.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no YAML document");
    }
    return docs.get(0);
  }

  private static List<Check> check(JsonNode e, List<JsonNode> resources, Map<JsonNode, Decision> decisions,
      PolicySet set, Set<String> unscored) {
    String policy = e.path("policy").asString("");
    String rule = e.path("rule").asString("");
    String expected = e.path("result").asString(e.path("status").asString(""));
    String kind = e.path("kind").asString("");
    List<String> names = new ArrayList<>();
    e.path("resources").forEach(r -> names.add(r.asString()));
    if (e.hasNonNull("resource")) {
      names.add(e.path("resource").asString());
    }
    String baseRule = rule.replaceFirst("^autogen-(cronjob-)?", "");
    String engineName = baseRule.isEmpty() ? policy : policy + "/" + baseRule;
    List<Check> out = new ArrayList<>();
    if (set.policies().stream().noneMatch(p -> p.name().equals(engineName))) {
      out.add(new Check(policy, rule, String.join(",", names), expected, "", false,
          "no policy " + engineName + " was loaded" + (set.skipped().isEmpty() ? "" : "; skipped: " + set.skipped())));
      return out;
    }
    for (String name : names) {
      String ns = name.contains("/") ? name.substring(0, name.indexOf('/')) : null;
      String n = name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
      List<JsonNode> found = resources.stream().filter(r -> n.equals(r.path("metadata").path("name").asString(""))
          && (kind.isEmpty() || kind.equals(r.path("kind").asString("")))
          && (ns == null || ns.equals(r.path("metadata").path("namespace").asString("")))).toList();
      if (found.isEmpty()) {
        out.add(new Check(policy, rule, name, expected, "", false, "no resource " + kind + " " + name + " in resources"));
        continue;
      }
      for (JsonNode r : found) {
        Decision d = decisions.get(r);
        List<Violation> vs = d.violations().stream().filter(v -> v.policy().equals(engineName)).toList();
        String actual;
        if (!vs.isEmpty()) {
          actual = vs.stream().allMatch(Violation::error) ? "error" : unscored.contains(policy) ? "warn" : "fail";
        } else {
          actual = d.applied(engineName) ? "pass" : "skip";
        }
        boolean passed = actual.equals(expected);
        out.add(new Check(policy, rule, name, expected, actual, passed,
            passed ? "" : vs.stream().map(Violation::message).toList().toString()));
      }
    }
    return out;
  }
}
