package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;

/** Builds the picocli command line of one run and maps its outcome to an {@link ExitCode}. */
public final class Cli {
  private final Io io;

  public Cli(PrintStream out, PrintStream err, Clock clock) {
    this.io = new Io(out, err, clock);
  }

  /** Runs the arguments; returns the exit status. */
  public int run(String[] args) {
    CommandLine cl = new CommandLine(new RootCommand(io));
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((e, arguments) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println("orchestrate: " + e.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCode.INVALID_INPUT.code();
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      // Commands report their own failures; this is for a failure outside one (a bug).
      c.getErr().println("orchestrate: " + e);
      return ExitCode.FAILURE.code();
    });
    int code = cl.execute(args);
    io.out().flush();
    io.err().flush();
    return code;
  }
}
