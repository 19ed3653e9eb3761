package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.policy.GatorSuite;
import io.orchestrationplane.policy.KyvernoTest;
import io.orchestrationplane.policy.PolicyTester;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code orchestrate policy test PATH...}: runs Gatekeeper {@code gator verify} suites, Kyverno
 * {@code kyverno-test.yaml} files and {@code PolicyTester} suites with this engine. A directory is
 * searched recursively for all three; a file must be one of them. Each failed case is a finding
 * at its line in the test file. Exit 0 when every case passed, 1 when one failed, 4 when a file
 * cannot be read or nothing was found.
 */
@Command(name = "test", description = "Run gator suites, kyverno-test.yaml files and PolicyTester suites (files, or directories searched recursively).")
final class PolicyTestCommand extends BaseCommand {
  private static final Pattern TESTER_CASE = Pattern.compile("^(.*)#\\d+ \\(");

  @ParentCommand
  PolicyCommand policy;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Test files or directories.")
  List<Path> paths;

  /** One test file's outcome. */
  record FileResult(Path file, String kind, long passed, long failed, List<Finding> failures) {}

  @Override
  Io io() {
    return policy.root.io;
  }

  @Override
  ExitCode execute() throws IOException {
    List<FileResult> results = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(p)) {
          files = s.filter(Files::isRegularFile).filter(PolicyTestCommand::yaml).sorted().toList();
        }
        for (Path f : files) {
          FileResult r = run(f, false);
          if (r != null) {
            results.add(r);
          }
        }
      } else if (Files.isRegularFile(p)) {
        results.add(run(p, true));
      } else {
        throw CliException.invalid(Paths.display(p) + ": no such file or directory");
      }
    }
    if (results.isEmpty()) {
      throw CliException.invalid("no policy tests found in " + paths.stream().map(Paths::display).toList()
          + " (gator Suites, kyverno-test.yaml files, PolicyTester suites)");
    }
    long passed = results.stream().mapToLong(FileResult::passed).sum();
    long failed = results.stream().mapToLong(FileResult::failed).sum();
    List<Finding> findings = results.stream().flatMap(r -> r.failures().stream()).toList();
    switch (format()) {
      case JSON -> {
        ObjectNode root = Json.object();
        root.put("passed", passed);
        root.put("failed", failed);
        ArrayNode files = root.putArray("files");
        for (FileResult r : results) {
          ObjectNode n = files.addObject();
          n.put("file", Paths.display(r.file()));
          n.put("kind", r.kind());
          n.put("passed", r.passed());
          n.put("failed", r.failed());
          n.set("failures", findings(r.failures()));
        }
        print(root);
      }
      case SARIF -> sarif(findings);
      default -> {
        StringBuilder sb = new StringBuilder();
        for (FileResult r : results) {
          sb.append(r.failed() == 0 ? "PASS " : "FAIL ").append(Paths.display(r.file())).append(" (").append(r.kind())
              .append("): ").append(r.passed()).append(" passed, ").append(r.failed()).append(" failed\n");
          r.failures().forEach(f -> sb.append("  ").append(f.toText()).append('\n'));
        }
        sb.append(passed).append(" passed, ").append(failed).append(" failed\n");
        print(sb.toString());
      }
    }
    return failed == 0 ? ExitCode.SUCCESS : ExitCode.FAILURE;
  }

  private static boolean yaml(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  /** Runs a test file; null for a file (in a directory) that is not a test. */
  private @Nullable FileResult run(Path file, boolean explicit) {
    String text = AppFile.text(file);
    List<JsonNode> docs;
    try {
      docs = Json.readYamlDocuments(text);
    } catch (RuntimeException e) {
      throw CliException.invalid(Paths.display(file) + ": not valid YAML: " + e.getMessage());
    }
    JsonNode doc = docs.size() == 1 ? docs.get(0) : null;
    String kind = doc == null ? "" : doc.path("kind").asString("");
    String apiVersion = doc == null ? "" : doc.path("apiVersion").asString("");
    try {
      if (kind.equals("Suite") && apiVersion.equals("test.gatekeeper.sh/v1alpha1")) {
        return gator(file, GatorSuite.run(file), YamlLines.of(text));
      }
      if (kind.equals("Test") && apiVersion.startsWith("cli.kyverno.io/")) {
        return kyverno(file, KyvernoTest.run(file), doc, YamlLines.of(text));
      }
      if (doc != null && kind.isEmpty() && doc.has("policies") && doc.has("cases")) {
        return tester(file, PolicyTester.runSuite(file), doc, YamlLines.of(text));
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw CliException.invalid(Paths.display(file) + ": " + e.getMessage());
    }
    if (explicit) {
      throw CliException.invalid(Paths.display(file) + ": not a policy test (a gator Suite, a Kyverno CLI Test, or a "
          + "PolicyTester suite with policies and cases)");
    }
    return null;
  }

  private static FileResult gator(Path file, GatorSuite.Result result, YamlLines lines) {
    long passed = 0;
    List<Finding> failures = new ArrayList<>();
    for (int i = 0; i < result.tests().size(); i++) {
      GatorSuite.TestResult t = result.tests().get(i);
      if (t.error() != null) {
        failures.add(failure(Failures.POLICY_TEST, t.name() + ": " + t.error(), file, lines.line("/tests/" + i), t.name()));
      }
      for (int j = 0; j < t.cases().size(); j++) {
        GatorSuite.CaseResult c = t.cases().get(j);
        if (c.skipped()) {
          continue;
        }
        if (c.passed()) {
          passed++;
        } else {
          failures.add(failure(Failures.POLICY_TEST, c.error() == null ? "failed" : c.error(), file,
              lines.line("/tests/" + i + "/cases/" + j), t.name() + "/" + c.name()));
        }
      }
    }
    return new FileResult(file, "gator suite", passed, failures.size(), failures);
  }

  private static FileResult kyverno(Path file, KyvernoTest.Result result, JsonNode doc, YamlLines lines) {
    List<Finding> failures = new ArrayList<>();
    for (KyvernoTest.Check c : result.failures()) {
      int line = 0;
      JsonNode expected = doc.path("results");
      for (int k = 0; k < expected.size() && line == 0; k++) {
        JsonNode r = expected.get(k);
        boolean policyMatches = r.path("policy").asString("").equals(c.policy());
        boolean ruleMatches = c.rule() == null || c.rule().isEmpty() || r.path("rule").asString("").equals(c.rule());
        boolean resourceMatches = false;
        for (JsonNode res : r.path("resources")) {
          resourceMatches |= res.asString("").equals(c.resource()) || c.resource().endsWith("/" + res.asString(""));
        }
        if (policyMatches && ruleMatches && (resourceMatches || c.resource().isEmpty())) {
          line = lines.line("/results/" + k);
        }
      }
      String rule = c.policy().isEmpty() ? Failures.POLICY_TEST : c.policy();
      failures.add(failure(rule, c.toString(), file, line, c.resource()));
    }
    return new FileResult(file, "kyverno test", result.checks().size() - failures.size(), failures.size(), failures);
  }

  private static FileResult tester(Path file, PolicyTester.Report report, JsonNode doc, YamlLines lines) {
    List<Finding> failures = new ArrayList<>();
    for (PolicyTester.CaseResult c : report.failures()) {
      int line = 0;
      Matcher m = TESTER_CASE.matcher(c.testCase().name());
      if (m.find()) {
        JsonNode cases = doc.path("cases");
        for (int i = 0; i < cases.size() && line == 0; i++) {
          if (cases.get(i).path("resources").asString("").equals(m.group(1))) {
            line = lines.line("/cases/" + i);
          }
        }
      }
      String rule = c.testCase().policy() == null ? Failures.POLICY_TEST : c.testCase().policy();
      failures.add(failure(rule, c.reason(), file, line, c.testCase().name()));
    }
    return new FileResult(file, "PolicyTester suite", report.passedCount(), report.failedCount(), failures);
  }

  private static Finding failure(String rule, String message, Path file, int line, String field) {
    return new Finding(rule, Finding.ERROR, message, file, line, 0, field);
  }
}
