package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.Yaml;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.JsonNodeException;

/**
 * Runs resources against policies and compares the verdicts with expectations, case by case, with the reason
 * of every mismatch: the JVM's answer to {@code kyverno test} and {@code gator verify}, for users' JUnit tests.
 * Setup objects (Namespaces, params such as ConfigMaps) play the cluster's part: a request's
 * {@code namespaceObject} is the setup Namespace of its namespace, and params are looked up among them.
 *
 * <pre>{@code
 * PolicyTester tester = PolicyTester.of(engine).withSetup(PolicyTester.documents(namespacesYaml));
 * PolicyTester.Report report = tester.run(PolicyTester.cases(badPodsYaml, PolicyTester.Verdict.DENY));
 * report.assertAllPassed();   // AssertionError listing every failing case and why
 * }</pre>
 *
 * <p>Or from a suite file, paths relative to it ({@link #runSuite}):
 * <pre>{@code
 * policies: [policy.yaml]          # VAP + bindings, Kyverno or Gatekeeper files
 * setup: [namespaces.yaml]         # optional cluster objects
 * options: {autogen: true, orValueOnNonOptional: true, forceDeny: true}   # optional
 * cases:
 * - {resources: good.yaml, expect: allow}       # every document is one CREATE case
 * - {resources: bad.yaml, expect: deny, policy: disallow-latest/tag}
 * - {resources: two-bad.yaml, expect: deny, violations: 2, message: "latest"}   # counts and messages
 * }</pre>
 */
public final class PolicyTester {
  /** The expected outcome of a case. */
  public enum Verdict { ALLOW, DENY }

  /**
   * One case: a request and its expected verdict; with {@code policy} set, a DENY must come (at least) from that
   * policy. Optionally also the violations: {@code violations} is the exact number expected and {@code message} a
   * regular expression (RE2, found anywhere in the message) that some violation's message must match; together,
   * exactly {@code violations} messages must match. Violations of every action count (Warn and Audit too), and
   * only those of {@code policy} when it is set.
   *
   * @param violations null = not checked
   * @param message null = not checked
   */
  public record TestCase(String name, Operation operation, JsonNode object, @Nullable JsonNode oldObject, Verdict expected,
      @Nullable String policy, @Nullable Integer violations, @Nullable String message) {
    public TestCase {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(operation, "operation of case " + name);
      Objects.requireNonNull(expected, "expected verdict of case " + name);
      if (object == null && oldObject == null) {
        throw new IllegalArgumentException("case " + name + " needs an object or an oldObject");
      }
      if (violations != null && violations < 0) {
        throw new IllegalArgumentException("case " + name + ": violations must be >= 0, got " + violations);
      }
      if (message != null) {
        try {
          com.google.re2j.Pattern.compile(message);
        } catch (com.google.re2j.PatternSyntaxException e) {
          throw new IllegalArgumentException("case " + name + ": invalid message pattern '" + message + "': "
              + e.getMessage(), e);
        }
      }
    }

    /** A case checking the verdict only. */
    public TestCase(String name, Operation operation, JsonNode object, @Nullable JsonNode oldObject, Verdict expected,
        @Nullable String policy) {
      this(name, operation, object, oldObject, expected, policy, null, null);
    }

    /** This case also expecting exactly {@code count} violations whose message matches {@code pattern} (null = any). */
    public TestCase expectingViolations(int count, String pattern) {
      return new TestCase(name, operation, object, oldObject, expected, policy, count, pattern);
    }

    /** A CREATE of {@code object} expected to get {@code expected}. */
    public static TestCase create(String name, JsonNode object, Verdict expected) {
      return new TestCase(name, Operation.CREATE, object, null, expected, null);
    }
  }

  /** The outcome of one case; {@code reason} says why it failed (empty when it passed). */
  public record CaseResult(TestCase testCase, boolean passed, Decision decision, String reason) {
    /** The message of every violation, in order. */
    public List<String> messages() {
      return decision.violations().stream().map(Violation::message).toList();
    }

    /** How many violations (of every action) the request got. */
    public int violationCount() {
      return decision.violations().size();
    }
  }

  /** The outcome of a run. */
  public record Report(List<CaseResult> results) {
    public Report {
      results = List.copyOf(results);
    }

    public List<CaseResult> failures() {
      return results.stream().filter(r -> !r.passed()).toList();
    }

    public long passedCount() {
      return results.stream().filter(CaseResult::passed).count();
    }

    public long failedCount() {
      return results.size() - passedCount();
    }

    /** {@code N passed, N failed} followed by one line per failure. */
    public String summary() {
      StringBuilder sb = new StringBuilder(passedCount() + " passed, " + failures().size() + " failed");
      for (CaseResult f : failures()) {
        sb.append("\n  ").append(f.testCase().name()).append(": ").append(f.reason());
      }
      return sb.toString();
    }

    /** Throws an {@link AssertionError} with the {@link #summary()} unless every case passed. */
    public void assertAllPassed() {
      if (!failures().isEmpty()) {
        throw new AssertionError(summary());
      }
    }
  }

  private final PolicyEngine engine;
  private final List<JsonNode> setup;

  private PolicyTester(PolicyEngine engine, List<JsonNode> setup) {
    this.engine = engine;
    this.setup = List.copyOf(setup);
  }

  public static PolicyTester of(PolicyEngine engine) {
    return new PolicyTester(Objects.requireNonNull(engine, "engine"), List.of());
  }

  /** A tester that also knows these cluster objects (Namespaces, params). */
  public PolicyTester withSetup(List<JsonNode> objects) {
    List<JsonNode> all = new ArrayList<>(setup);
    all.addAll(objects);
    return new PolicyTester(engine, all);
  }

  /** The documents of a multi-document YAML stream (for setup objects and cases). */
  public static List<JsonNode> documents(String yaml) {
    return Yaml.readAll(yaml);
  }

  /** One CREATE case per document of a YAML stream, named {@code Kind/name}, all expecting {@code expected}. */
  public static List<TestCase> cases(String yaml, Verdict expected) {
    List<TestCase> out = new ArrayList<>();
    for (JsonNode d : Yaml.readAll(yaml)) {
      out.add(TestCase.create(d.path("kind").asString("?") + "/" + d.path("metadata").path("name").asString("?"),
          d, expected));
    }
    return out;
  }

  /** Evaluates one case. */
  public CaseResult check(TestCase c) {
    JsonNode subject = c.object() != null ? c.object() : c.oldObject();
    String ns = subject.path("metadata").path("namespace").asString("");
    AdmissionRequest.Builder r = AdmissionRequest.builder(c.operation()).object(c.object()).oldObject(c.oldObject())
        .params(ParamResolver.of(setup));
    if (!ns.isEmpty()) {
      setup.stream().filter(o -> o.path("kind").asString().equals("Namespace")
          && o.path("metadata").path("name").asString().equals(ns)).findFirst().ifPresent(r::namespaceObject);
    }
    Decision d = engine.admit(r.build()).decision();
    String reason = "";
    if (c.expected() == Verdict.ALLOW && !d.allowed()) {
      reason = "expected ALLOW but denied by " + d.denials();
    } else if (c.expected() == Verdict.DENY && d.allowed()) {
      reason = "expected DENY but allowed" + (d.errors().isEmpty() ? "" : " (errors: " + d.errors() + ")");
    } else if (c.expected() == Verdict.DENY && c.policy() != null
        && d.denials().stream().noneMatch(v -> v.policy().equals(c.policy()))) {
      reason = "expected DENY by " + c.policy() + " but denied by " + d.denials();
    }
    if (reason.isEmpty()) {
      reason = violationProblem(c, d);
    }
    return new CaseResult(c, reason.isEmpty(), d, reason);
  }

  private static String violationProblem(TestCase c, Decision d) {
    if (c.violations() == null && c.message() == null) {
      return "";
    }
    com.google.re2j.Pattern p = c.message() == null ? null : com.google.re2j.Pattern.compile(c.message());
    List<String> considered = d.violations().stream().filter(v -> c.policy() == null || v.policy().equals(c.policy()))
        .map(Violation::message).toList();
    long matching = considered.stream().filter(m -> p == null || p.matcher(m).find()).count();
    String what = "violations" + (c.message() == null ? "" : " with a message matching '" + c.message() + "'")
        + (c.policy() == null ? "" : " of " + c.policy());
    if (c.violations() != null && matching != c.violations()) {
      return "expected exactly " + c.violations() + " " + what + " but got " + matching + "; messages " + considered;
    }
    if (c.violations() == null && matching == 0) {
      return "expected " + what + " but got none; messages " + considered;
    }
    return "";
  }

  /** Evaluates every case, in order. */
  public Report run(List<TestCase> cases) {
    return new Report(cases.stream().map(this::check).toList());
  }

  /**
   * Runs a suite file (format in the class comment): loads its policies, builds an engine with its options
   * ({@code forceDeny} turns every binding's actions into Deny, as upstream policy tests do), and checks every
   * document of every case file.
   *
   * @throws IllegalArgumentException naming the suite field or file when the suite cannot be read
   */
  public static Report runSuite(Path suiteFile) {
    try {
      return readAndRunSuite(suiteFile);
    } catch (JsonNodeException e) {
      throw new IllegalArgumentException(suiteFile + ": a list or an object where a single value (a file name, a name, a number) belongs", e);
    }
  }

  private static Report readAndRunSuite(Path suiteFile) {
    Path dir = suiteFile.toAbsolutePath().getParent();
    List<JsonNode> docs = Yaml.readFile(suiteFile);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(suiteFile + ": a suite is one YAML document, found " + docs.size());
    }
    JsonNode suite = docs.get(0);
    JsonNode options = suite.path("options");
    PolicySet set = new PolicySet(List.of(), List.of());
    for (JsonNode f : suite.path("policies")) {
      Path policyFile = dir.resolve(f.asString());
      List<JsonNode> policyDocs = Yaml.readFile(policyFile);
      try {
        set = set.plus(PolicyLoader.using(KindMapping.defaults()).read(policyDocs));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(policyFile + ": " + e.getMessage(), e);
      }
    }
    if (set.policies().isEmpty()) {
      throw new IllegalArgumentException(suiteFile + ": 'policies' names no file with a supported policy");
    }
    if (options.path("forceDeny").asBoolean(false)) {
      set = set.withBindings(set.bindings().stream().map(b -> b.withActions(java.util.Set.of(ValidationAction.DENY)))
          .toList());
    }
    PolicyEngine engine = PolicyEngine.builder().policies(set)
        .autogen(options.path("autogen").asBoolean(false))
        .orValueOnNonOptional(options.path("orValueOnNonOptional").asBoolean(false)).build();
    List<JsonNode> setup = new ArrayList<>();
    for (JsonNode f : suite.path("setup")) {
      setup.addAll(Yaml.readFile(dir.resolve(f.asString())));
    }
    List<TestCase> cases = new ArrayList<>();
    JsonNode caseList = suite.path("cases");
    for (int i = 0; i < caseList.size(); i++) {
      JsonNode c = caseList.get(i);
      String file = c.path("resources").asString("");
      Verdict expected;
      try {
        expected = Verdict.valueOf(c.path("expect").asString("").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(suiteFile + ": cases[" + i + "].expect must be allow or deny, got '"
            + c.path("expect").asString("") + "'");
      }
      List<JsonNode> objects = Yaml.readFile(dir.resolve(file));
      for (int d = 0; d < objects.size(); d++) {
        JsonNode o = objects.get(d);
        cases.add(new TestCase(file + "#" + d + " (" + o.path("kind").asString("?") + " "
            + o.path("metadata").path("name").asString("?") + ")", Operation.CREATE, o, null, expected,
            c.hasNonNull("policy") ? c.path("policy").asString() : null,
            c.hasNonNull("violations") ? Integer.valueOf(c.path("violations").asInt()) : null,
            c.hasNonNull("message") ? c.path("message").asString() : null));
      }
    }
    return of(engine).withSetup(setup).run(cases);
  }
}
