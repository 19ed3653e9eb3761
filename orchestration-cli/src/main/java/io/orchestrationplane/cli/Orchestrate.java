package io.orchestrationplane.cli;

import io.orchestrationplane.cli.internal.Cli;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The {@code orchestrate} command: validate, render, plan, apply, status, diff, history,
 * rollback and policy tests from a CI step, against the embedded in-memory cluster (the
 * default), the contexts of a kubeconfig, and with revisions kept in a state directory across
 * invocations. See docs/cli.md for every command, option and {@link ExitCode}.
 *
 * <pre>
 * java -jar orchestrate.jar plan shop.yaml --policy guardrails.yaml --detailed-exitcode
 * </pre>
 *
 * <p>In-process (tests, or a tool of your own): {@link #run(List, PrintStream, PrintStream,
 * Clock)} returns the exit code instead of exiting.
 */
public final class Orchestrate {
  private Orchestrate() {}

  /** Runs the command and exits the JVM with its {@link ExitCode}. */
  public static void main(String[] args) {
    int code = run(List.of(args), System.out, System.err, Clock.systemUTC());
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs the command with these arguments, writing results to {@code out} and diagnostics to
   * {@code err}; returns the exit code ({@link ExitCode#code()}). Never exits the JVM. The clock
   * times revisions, status conditions and {@code apply --wait}.
   */
  public static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
    Objects.requireNonNull(args, "args");
    return new Cli(Objects.requireNonNull(out, "out"), Objects.requireNonNull(err, "err"),
        Objects.requireNonNull(clock, "clock")).run(args.toArray(String[]::new));
  }
}
