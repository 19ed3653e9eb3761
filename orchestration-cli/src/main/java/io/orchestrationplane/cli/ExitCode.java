package io.orchestrationplane.cli;

/**
 * The exit codes of {@code orchestrate}, designed for CI: a pipeline step can tell "nothing to
 * do" from "changes to review" (only with {@code plan --detailed-exitcode}, as {@code terraform
 * plan -detailed-exitcode}), a policy denial from invalid input, and an unreachable cluster from
 * everything else. docs/cli.md lists which command returns which.
 */
public enum ExitCode {
  /** The command did what it was asked; for {@code plan}, there is nothing to change. */
  SUCCESS(0),
  /** Anything else: a failed write, a timeout waiting for readiness, a failed policy test, a bug. */
  FAILURE(1),
  /** {@code plan --detailed-exitcode} only: the plan has changes. */
  CHANGES(2),
  /** An admission policy denied a planned write; nothing was written. */
  DENIED(3),
  /** Invalid input: a command-line option, a file that cannot be read, an invalid application or policy. */
  INVALID_INPUT(4),
  /** A cluster could not be reached; nothing was planned or written there. */
  UNREACHABLE(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }
}
