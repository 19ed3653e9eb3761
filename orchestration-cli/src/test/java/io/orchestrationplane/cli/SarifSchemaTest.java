package io.orchestrationplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.orchestrationplane.core.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every SARIF log the CLI writes is valid against the official SARIF 2.1.0 JSON schema (OASIS,
 * {@code src/test/resources/sarif/}; see its README), checked by a JSON Schema validator with
 * format assertions on, not by hand; and carries each finding's file and line as SARIF says:
 * {@code physicalLocation.artifactLocation.uri} and {@code region.startLine}, the policy as rule id.
 */
class SarifSchemaTest {
  static final String APPS = "src/test/resources/apps/";
  static Schema sarif;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = SarifSchemaTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      assertThat(in).as("the SARIF schema on the test class path").isNotNull();
      sarif = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in, InputFormat.JSON);
    }
  }

  static List<Error> errors(String log) {
    return sarif.validate(log, InputFormat.JSON,
        context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
  }

  static JsonNode validLog(CliRun run) {
    assertThat(errors(run.out())).as("schema errors of\n" + run.out()).isEmpty();
    return Json.readJson(run.out());
  }

  @Test
  void aPolicyDenialIsAValidLogWithTheFileLineAndPolicyOfEachViolation() {
    CliRun run = CliRun.of("plan", APPS + "bad-latest.yaml", "--policy", "src/test/resources/policies/guardrails.yaml",
        "-o", "sarif");
    assertThat(run.exit()).isEqualTo(ExitCode.DENIED.code());
    JsonNode log = validLog(run);
    assertThat(log.path("version").asString()).isEqualTo("2.1.0");
    JsonNode results = log.path("runs").get(0).path("results");
    assertThat(results.size()).isEqualTo(2);
    for (JsonNode r : results) {
      assertThat(r.path("ruleId").asString()).isEqualTo("disallow-latest-tag");
      assertThat(r.path("level").asString()).isEqualTo("error");
      JsonNode physical = r.path("locations").get(0).path("physicalLocation");
      assertThat(physical.path("artifactLocation").path("uri").asString()).isEqualTo(APPS + "bad-latest.yaml");
      assertThat(physical.path("region").path("startLine").asInt()).isEqualTo(14); // "- name: worker"
    }
    assertThat(log.path("runs").get(0).path("tool").path("driver").path("rules").get(0).path("id").asString())
        .isEqualTo("disallow-latest-tag");
  }

  @Test
  void warningsOfAnAdmittedPlanAreWarningResults() {
    CliRun run = CliRun.of("plan", APPS + "shop.yaml", "--policy", "src/test/resources/policies/guardrails.yaml",
        "-o", "sarif");
    assertThat(run.exit()).isZero();
    JsonNode results = validLog(run).path("runs").get(0).path("results");
    assertThat(results.size()).isEqualTo(4);
    assertThat(results.get(0).path("level").asString()).isEqualTo("warning");
    assertThat(results.get(0).path("ruleId").asString()).isEqualTo("recommend-team-label");
  }

  @Test
  void invalidInputPolicyTestFailuresAndEmptyRunsAreValidLogs() {
    validLog(CliRun.of("validate", APPS + "invalid.yaml", "-o", "sarif"));
    validLog(CliRun.of("validate", APPS + "shop.yaml", "-o", "sarif"));
    validLog(CliRun.of("validate", APPS + "shop.yaml", "--policy", "src/test/resources/policies/broken.yaml", "-o", "sarif"));
    validLog(CliRun.of("policy", "test", "src/test/resources/policy-tests-failing", "-o", "sarif"));
    validLog(CliRun.of("policy", "test", "src/test/resources/policy-tests", "-o", "sarif"));
    validLog(CliRun.of("plan", APPS + "no-such.yaml", "-o", "sarif"));
    validLog(CliRun.of("plan", APPS + "shop.yaml", "--frobnicate", "-o", "sarif"));
    validLog(CliRun.of("audit", "verify", "audit.jsonl", "-o", "sarif"));
  }

  @Test
  void theValidatorRejectsWhatTheSchemaForbids() {
    CliRun run = CliRun.of("plan", APPS + "bad-latest.yaml", "--policy", "src/test/resources/policies/guardrails.yaml",
        "-o", "sarif");
    ObjectNode log = (ObjectNode) Json.readJson(run.out());
    ObjectNode region = (ObjectNode) log.path("runs").get(0).path("results").get(0).path("locations").get(0)
        .path("physicalLocation").path("region");
    region.put("startLine", 0);
    assertThat(errors(Json.writeJson(log))).isNotEmpty();
    ObjectNode noVersion = (ObjectNode) Json.readJson(run.out());
    noVersion.remove("version");
    assertThat(errors(Json.writeJson(noVersion))).isNotEmpty();
    ObjectNode badLevel = (ObjectNode) Json.readJson(run.out());
    ((ObjectNode) badLevel.path("runs").get(0).path("results").get(0)).put("level", "fatal");
    assertThat(errors(Json.writeJson(badLevel))).isNotEmpty();
  }
}
