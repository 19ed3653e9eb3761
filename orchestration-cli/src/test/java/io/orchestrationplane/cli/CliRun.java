package io.orchestrationplane.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** One in-process run of {@code orchestrate}: exit code, stdout and stderr, as a golden file shows them. */
record CliRun(List<String> args, int exit, String out, String err) {
  /** Every test run sees this instant: revisions, conditions and waits are reproducible. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Orchestrate.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
    return new CliRun(List.of(args), exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The golden-file form: the command, its exit code, then stdout and stderr. */
  String golden() {
    return "$ orchestrate " + String.join(" ", args) + "\nexit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }

  /**
   * The golden form with digests of runs whose content includes Secret values replaced: those
   * are keyed with a random key per run (or per state directory), so they differ on every run.
   */
  String goldenWithoutKeyedDigests() {
    return golden().replaceAll("sha256:[0-9a-f]{64}", "sha256:<digest>").replaceAll("hmac:[0-9a-zA-Z_-]+", "hmac:<digest>");
  }
}
