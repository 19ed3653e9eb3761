package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.resource.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), the
 * format code-scanning UIs read: one run of the tool {@code orchestrate}, one rule per policy
 * (its id the policy's name) or tool check, one result per finding with its file as
 * {@code physicalLocation.artifactLocation.uri} and its line and column as {@code region}.
 */
final class Sarif {
  /** The schema of SARIF 2.1.0 as OASIS published it (errata 01). */
  static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  static final String TOOL = "orchestrate";
  static final String INFORMATION_URI = "https://orchestrationplane.io/docs/cli";

  private Sarif() {}

  static ObjectNode log(List<Finding> findings, String toolVersion) {
    ObjectNode root = Json.object();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", TOOL);
    driver.put("informationUri", INFORMATION_URI);
    driver.put("version", toolVersion);
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    ArrayNode rules = driver.putArray("rules");
    for (Finding f : findings) {
      if (!ruleIndex.containsKey(f.rule())) {
        ruleIndex.put(f.rule(), ruleIndex.size());
        ObjectNode rule = rules.addObject();
        rule.put("id", f.rule());
        rule.putObject("shortDescription").put("text", describe(f.rule()));
      }
    }
    ArrayNode results = run.putArray("results");
    for (Finding f : findings) {
      ObjectNode r = results.addObject();
      r.put("ruleId", f.rule());
      r.put("ruleIndex", ruleIndex.get(f.rule()));
      r.put("level", f.level());
      r.putObject("message").put("text", f.field().isEmpty() ? f.message() : f.field() + ": " + f.message());
      if (f.file() != null) {
        ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", Paths.uri(f.file()));
        ObjectNode region = physical.putObject("region");
        region.put("startLine", Math.max(1, f.line()));
        if (f.column() > 0) {
          region.put("startColumn", f.column());
        }
      }
    }
    return root;
  }

  private static String describe(String rule) {
    return switch (rule) {
      case Failures.INVALID_APPLICATION -> "The application is invalid.";
      case Failures.INVALID_POLICY -> "An admission policy does not compile.";
      case Failures.POLICY_TEST -> "A policy test case failed.";
      default -> "Admission policy " + rule + ".";
    };
  }
}
