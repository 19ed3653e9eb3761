package io.orchestrationplane.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.orchestrationplane.policy.internal.Yaml;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.JsonNodeException;

/**
 * Runs Gatekeeper {@code gator verify} test suites ({@code test.gatekeeper.sh/v1alpha1 Suite}) with this engine:
 * each test compiles a ConstraintTemplate and a Constraint, and each case reviews one object (or an
 * {@code AdmissionReview}) and checks its {@code assertions}: {@code violations} {@code yes}, {@code no} or an
 * exact count, optionally of the violations whose message matches the {@code message} regular expression (RE2,
 * case-sensitive, matched anywhere in the message, as gator does). Paths are relative to the suite file.
 *
 * <p>A failed case is reported with the reason, never thrown; only an unreadable suite file throws. Constraints
 * are read as at gator's enforcement point ({@code gator.gatekeeper.sh}) and on every operation. Objects of a
 * case's {@code inventory} play the cluster: a Namespace there is the reviewed object's {@code namespaceObject}, and
 * params lookups see them.
 *
 * <pre>{@code
 * GatorSuite.Result r = GatorSuite.run(Path.of("library/general/requiredlabels/suite.yaml"));
 * assertThat(r.failures()).isEmpty();
 * }</pre>
 */
public final class GatorSuite {
  private static final String KIND = "Suite";
  private static final String API_VERSION = "test.gatekeeper.sh/v1alpha1";
  private static final UserInfo NO_USER = new UserInfo("", "", List.of(), java.util.Map.of());

  private GatorSuite() {}

  /** The outcome of one case; {@code error} says why it failed (null when it passed or was skipped). */
  public record CaseResult(String name, boolean skipped, @Nullable String error, List<String> messages) {
    public CaseResult {
      messages = List.copyOf(messages);
    }

    public boolean passed() {
      return error == null;
    }
  }

  /** The outcome of one test: an {@code error} of the test itself (template, constraint) or its cases' results. */
  public record TestResult(String name, boolean skipped, @Nullable String error, List<CaseResult> cases) {
    public TestResult {
      cases = List.copyOf(cases);
    }

    public boolean passed() {
      return error == null && cases.stream().allMatch(CaseResult::passed);
    }
  }

  /** The outcome of a suite file. */
  public record Result(Path path, boolean skipped, List<TestResult> tests) {
    public Result {
      tests = List.copyOf(tests);
    }

    public boolean passed() {
      return tests.stream().allMatch(TestResult::passed);
    }

    /** One line per failed test or case: {@code test/case: reason}. */
    public List<String> failures() {
      List<String> out = new ArrayList<>();
      for (TestResult t : tests) {
        if (t.error() != null) {
          out.add(t.name() + ": " + t.error());
        }
        for (CaseResult c : t.cases()) {
          if (!c.passed()) {
            out.add(t.name() + "/" + c.name() + ": " + c.error());
          }
        }
      }
      return out;
    }

    /** {@code N passed, N failed} counted over cases (and over tests that failed before their cases ran). */
    public String summary() {
      long passed = 0;
      long failed = 0;
      for (TestResult t : tests) {
        if (t.error() != null) {
          failed++;
        }
        for (CaseResult c : t.cases()) {
          if (!c.skipped()) {
            if (c.passed()) {
              passed++;
            } else {
              failed++;
            }
          }
        }
      }
      StringBuilder sb = new StringBuilder(passed + " passed, " + failed + " failed");
      failures().forEach(f -> sb.append("\n  ").append(f));
      return sb.toString();
    }
  }

  /**
   * Runs every Suite under {@code dir} (recursively, files ending in .yaml/.yml/.json), like
   * {@code gator verify dir/...}; files that are not Suites are ignored, as gator does.
   */
  public static List<Result> runAll(Path dir) {
    List<Result> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(GatorSuite::yamlOrJson).sorted().toList()) {
        List<JsonNode> docs;
        try {
          docs = Yaml.readAll(Files.readString(f));
        } catch (IllegalArgumentException | IOException e) {
          continue;
        }
        if (docs.size() == 1 && isSuite(docs.get(0))) {
          out.add(run(f, docs.get(0)));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot walk " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static boolean yamlOrJson(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static boolean isSuite(JsonNode d) {
    return KIND.equals(d.path("kind").asString("")) && API_VERSION.equals(d.path("apiVersion").asString(""));
  }

  /**
   * Runs one suite file.
   *
   * @throws IllegalArgumentException when the file cannot be read or is not a {@code test.gatekeeper.sh/v1alpha1 Suite}
   */
  public static Result run(Path suiteFile) {
    List<JsonNode> docs = Yaml.readFile(suiteFile);
    if (docs.size() != 1 || !isSuite(docs.get(0))) {
      throw new IllegalArgumentException(suiteFile + ": not a gator suite (expected one document with kind: "
          + KIND + " and apiVersion: " + API_VERSION + ")");
    }
    try {
      return run(suiteFile, docs.get(0));
    } catch (JsonNodeException e) {
      throw new IllegalArgumentException(suiteFile + ": a list or an object where a single value (a file name, a name, a number) belongs", e);
    }
  }

  private static Result run(Path suiteFile, JsonNode suite) {
    if (suite.path("skip").asBoolean(false)) {
      return new Result(suiteFile, true, List.of());
    }
    Path dir = suiteFile.toAbsolutePath().getParent();
    List<TestResult> tests = new ArrayList<>();
    JsonNode list = suite.path("tests");
    if (!list.isArray() && !list.isMissingNode()) {
      throw new IllegalArgumentException(suiteFile + ": tests must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      tests.add(test(dir, list.get(i), i));
    }
    return new Result(suiteFile, false, tests);
  }

  private static TestResult test(@Nullable Path dir, JsonNode t, int index) {
    String name = t.path("name").asString("tests[" + index + "]");
    if (t.path("skip").asBoolean(false)) {
      return new TestResult(name, true, null, List.of());
    }
    PolicyEngine engine;
    try {
      engine = engine(dir, t);
    } catch (InvalidConstraint e) {
      return t.path("invalid").asBoolean(false) ? new TestResult(name, false, null, List.of())
          : new TestResult(name, false, e.getMessage(), List.of());
    } catch (IllegalArgumentException e) {
      return new TestResult(name, false, e.getMessage(), List.of());
    }
    if (t.path("invalid").asBoolean(false)) {
      return new TestResult(name, false, "want an invalid constraint (schema error), but the constraint is valid",
          List.of());
    }
    List<CaseResult> cases = new ArrayList<>();
    JsonNode list = t.path("cases");
    if (!list.isArray() && !list.isMissingNode()) {
      return new TestResult(name, false, "cases must be a list", List.of());
    }
    for (int i = 0; i < list.size(); i++) {
      cases.add(runCase(dir, engine, list.get(i), i));
    }
    return new TestResult(name, false, null, cases);
  }

  /** Thrown when the constraint does not conform to the template's parameters schema. */
  private static final class InvalidConstraint extends IllegalArgumentException {
    InvalidConstraint(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static PolicyEngine engine(@Nullable Path dir, JsonNode t) {
    String templatePath = t.path("template").asString("");
    if (templatePath.isEmpty()) {
      throw new IllegalArgumentException("invalid suite: missing template");
    }
    List<JsonNode> template = read(dir, templatePath);
    if (template.size() != 1 || !template.get(0).path("kind").asString("").equals("ConstraintTemplate")) {
      throw new IllegalArgumentException(templatePath + " is not a ConstraintTemplate");
    }
    String constraintPath = t.path("constraint").asString("");
    if (constraintPath.isEmpty()) {
      throw new IllegalArgumentException("invalid suite: missing constraint");
    }
    List<JsonNode> constraint = read(dir, constraintPath);
    if (constraint.size() != 1
        || !constraint.get(0).path("apiVersion").asString("").startsWith("constraints.gatekeeper.sh/")) {
      throw new IllegalArgumentException(constraintPath + " is not a Constraint (apiVersion constraints.gatekeeper.sh/...)");
    }
    String templateKind = template.get(0).path("spec").path("crd").path("spec").path("names").path("kind").asString("");
    String constraintKind = constraint.get(0).path("kind").asString("");
    if (!templateKind.equals(constraintKind)) {
      throw new IllegalArgumentException("constraint " + constraintPath + " is a " + constraintKind
          + " but the template defines " + templateKind);
    }
    PolicyLoader loader = PolicyLoader.using(KindMapping.defaults())
        .enforcementPoint(PolicyLoader.GATOR_ENFORCEMENT_POINT)
        .gatekeeperOperations(EnumSet.allOf(Operation.class));
    PolicySet set;
    try {
      set = loader.read(List.of(template.get(0), constraint.get(0)));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains("invalid constraint:")) {
        throw new InvalidConstraint(e.getMessage(), e);
      }
      throw e;
    }
    for (SkippedDocument s : set.skipped()) {
      if (s.kind().equals("ConstraintTemplate") || s.part().isEmpty()) {
        throw new IllegalArgumentException("cannot run " + s);
      }
    }
    return PolicyEngine.builder().policies(set).build();
  }

  private static CaseResult runCase(@Nullable Path dir, PolicyEngine engine, JsonNode c, int index) {
    String name = c.path("name").asString("cases[" + index + "]");
    if (c.path("skip").asBoolean(false)) {
      return new CaseResult(name, true, null, List.of());
    }
    String objectPath = c.path("object").asString("");
    if (objectPath.isEmpty()) {
      return new CaseResult(name, false, "invalid case: must define object", List.of());
    }
    JsonNode assertions = c.path("assertions");
    if (!assertions.isArray() || assertions.isEmpty()) {
      return new CaseResult(name, false, "invalid case: assertions must be non-empty", List.of());
    }
    List<String> messages;
    try {
      List<JsonNode> objects = read(dir, objectPath);
      if (objects.size() != 1) {
        return new CaseResult(name, false, "\"" + objectPath + "\" defines " + objects.size()
            + " objects; a case reviews exactly one", List.of());
      }
      List<JsonNode> inventory = new ArrayList<>();
      for (JsonNode p : c.path("inventory")) {
        inventory.addAll(read(dir, p.asString()));
      }
      messages = review(engine, objects.get(0), inventory);
    } catch (IllegalArgumentException e) {
      return new CaseResult(name, false, e.getMessage(), List.of());
    }
    for (int i = 0; i < assertions.size(); i++) {
      String problem = assertion(assertions.get(i), messages);
      if (problem != null) {
        return new CaseResult(name, false, "assertions[" + i + "]: " + problem + "; got messages " + messages, messages);
      }
    }
    return new CaseResult(name, false, null, messages);
  }

  private static List<String> review(PolicyEngine engine, JsonNode object, List<JsonNode> inventory) {
    AdmissionRequest request;
    boolean isReview = object.path("kind").asString("").equals("AdmissionReview")
        && object.path("apiVersion").asString("").startsWith("admission.k8s.io/");
    if (isReview) {
      AdmissionRequest r = AdmissionReviews.request(object);
      AdmissionRequest.Builder b = r.toBuilder();
      if (!object.path("request").path("userInfo").isObject()) {
        b.userInfo(NO_USER); // gator reviews what the file holds: no user when it names none
      }
      request = b.params(ParamResolver.of(inventory))
          .namespaceObject(namespaceOf(inventory, r.namespace() != null ? r.namespace()
              : subject(r).path("metadata").path("namespace").asString(""))).build();
    } else {
      // gator reviews a plain object with no request metadata: no user (request.userInfo is {}),
      // no operation and no resource; it is matched as a CREATE
      request = AdmissionRequest.builder(Operation.CREATE).objectOnly(true).object(object).userInfo(NO_USER)
          .params(ParamResolver.of(inventory))
          .namespaceObject(namespaceOf(inventory, object.path("metadata").path("namespace").asString(""))).build();
    }
    List<String> messages = new ArrayList<>();
    for (Violation v : engine.evaluate(request).violations()) {
      messages.add(v.message());
    }
    return messages;
  }

  private static @Nullable JsonNode subject(AdmissionRequest r) {
    return r.object() != null ? r.object() : r.oldObject();
  }

  private static @Nullable JsonNode namespaceOf(List<JsonNode> inventory, String ns) {
    if (ns == null || ns.isEmpty()) {
      return null;
    }
    for (JsonNode o : inventory) {
      if (o.path("kind").asString("").equals("Namespace") && o.path("apiVersion").asString("").equals("v1")
          && ns.equals(o.path("metadata").path("name").asString(""))) {
        return o;
      }
    }
    return null;
  }

  /** Null when the assertion holds, else why not (gator's wording). */
  static @Nullable String assertion(JsonNode a, List<String> messages) {
    Pattern pattern = null;
    String message = a.has("message") && !a.path("message").isNull() ? a.path("message").asString("") : null;
    if (message != null && !message.isEmpty()) {
      try {
        pattern = Pattern.compile(message);
      } catch (PatternSyntaxException e) {
        return "invalid message regular expression '" + message + "': " + e.getMessage();
      }
    }
    int matching = 0;
    for (String m : messages) {
      if (pattern == null || pattern.matcher(m).find()) {
        matching++;
      }
    }
    String containing = message == null ? "" : " containing \"" + message + "\"";
    JsonNode v = a.path("violations");
    if (v.isMissingNode() || v.isNull()) {
      v = tools.jackson.databind.node.StringNode.valueOf("yes");
    }
    if (v.isIntegralNumber()) {
      int want = v.canConvertToInt() ? v.intValue() : -1;
      if (want < 0) {
        return "violations, if set, must be a nonnegative integer, \"yes\", or \"no\"";
      }
      return want == matching ? null : "got " + matching + " violations" + containing + " but want exactly " + want;
    }
    return switch (v.asString("")) {
      case "yes" -> matching > 0 ? null : "got 0 violations" + containing + " but want at least 1";
      case "no" -> matching == 0 ? null : "got " + matching + " violations" + containing + " but want none";
      default -> "violations, if set, must be a nonnegative integer, \"yes\", or \"no\"";
    };
  }

  private static List<JsonNode> read(@Nullable Path dir, String relative) {
    Objects.requireNonNull(relative, "path");
    Path p = Path.of(relative);
    if (p.isAbsolute()) {
      throw new IllegalArgumentException("suite paths must be relative to the suite, got absolute " + relative);
    }
    Path file = dir.resolve(p);
    try {
      List<JsonNode> docs = Yaml.readAll(Files.readString(file));
      if (docs.isEmpty()) {
        throw new IllegalArgumentException("path \"" + relative + "\" defines no YAML objects");
      }
      return docs;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + relative + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(relative + ": " + e.getMessage(), e);
    }
  }
}
