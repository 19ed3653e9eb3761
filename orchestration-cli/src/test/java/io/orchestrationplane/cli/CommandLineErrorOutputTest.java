package io.orchestrationplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A command line picocli rejects (an unknown option, a missing parameter or required option, a bad
 * value) is invalid input like a missing file: with {@code -o json} the documented error document
 * and with {@code -o sarif} a SARIF log are on standard output, wherever {@code -o} stands, so a
 * CI step that parses the output never reads an empty file.
 */
class CommandLineErrorOutputTest {
  static final String APP = "src/test/resources/apps/shop.yaml";

  static List<List<String>> badCommandLines(String... output) {
    return List.of(
        join(List.of("plan", APP, "--frobnicate"), output),
        join(List.of("plan"), output),
        join(List.of("audit", "verify", "audit.jsonl"), output),
        join(List.of("apply", APP, "--wait", "--timeout", "soon"), output),
        join(List.of("diff", APP), output),
        join(List.of("policy"), output));
  }

  private static List<String> join(List<String> a, String... b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  @Test
  void withJsonOutputABadCommandLineIsTheJsonErrorDocumentOnStandardOutput() {
    for (String[] output : List.of(new String[] {"-o", "json"}, new String[] {"--output=json"}, new String[] {"-ojson"})) {
      for (List<String> args : badCommandLines(output)) {
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
        JsonNode error = Json.readJson(run.out());
        assertThat(error.path("exitCode").asInt()).as(run.golden()).isEqualTo(4);
        assertThat(error.path("error").asString()).as(run.golden()).isNotBlank();
        assertThat(error.path("findings").isArray()).as(run.golden()).isTrue();
        assertThat(run.err()).as(run.golden()).contains("--help' for usage.");
      }
    }
  }

  @Test
  void theOutputOptionCountsBeforeTheBadOptionToo() {
    CliRun run = CliRun.of("plan", "-o", "json", APP, "--frobnicate");
    assertThat(run.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(Json.readJson(run.out()).path("error").asString()).isEqualTo("Unknown option: '--frobnicate'");
  }

  @Test
  void withSarifOutputABadCommandLineIsASarifLogAndTheErrorOnStandardError() {
    for (List<String> args : badCommandLines("-o", "sarif")) {
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
      JsonNode log = Json.readJson(run.out());
      assertThat(log.path("version").asString()).isEqualTo("2.1.0");
      assertThat(log.path("runs").get(0).path("tool").path("driver").path("name").asString()).isEqualTo("orchestrate");
      assertThat(run.err()).as(run.golden()).startsWith("orchestrate: ");
    }
  }

  @Test
  void aBadOutputValueItselfOrNoOutputOptionIsReportedAsTextOnStandardError() {
    for (CliRun run : List.of(CliRun.of("plan", APP, "-o", "xml"), CliRun.of("plan", APP, "--frobnicate"),
        CliRun.of("plan", "--", "-o", "json", "--frobnicate"))) {
      assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
      assertThat(run.out()).as(run.golden()).isEmpty();
      assertThat(run.err()).as(run.golden()).startsWith("orchestrate: ");
    }
  }
}
