package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import java.util.List;
import java.util.Objects;

/** A failure the command diagnosed itself, with the exit code it means and the findings behind it. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;
  private final transient List<Finding> findings;

  CliException(ExitCode exitCode, String message, List<Finding> findings) {
    super(Objects.requireNonNull(message, "message"));
    this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    this.findings = List.copyOf(findings);
  }

  CliException(ExitCode exitCode, String message) {
    this(exitCode, message, List.of());
  }

  static CliException invalid(String message) {
    return new CliException(ExitCode.INVALID_INPUT, message);
  }

  ExitCode exitCode() {
    return exitCode;
  }

  List<Finding> findings() {
    return findings;
  }
}
