package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
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
      // A bad command line is a failure like any other: with -o json or -o sarif, CI still reads
      // the error document or a SARIF log on standard output, not an empty file.
      CommandLine c = e.getCommandLine();
      BaseCommand.report(new Failures.Failure(ExitCode.INVALID_INPUT, String.valueOf(e.getMessage()), List.of()),
          requestedFormat(arguments), io);
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

  /**
   * The {@code -o/--output} a command line asks for, read from the raw arguments since picocli
   * may stop before it parses the option; text when absent or not a format.
   */
  static OutputOptions.Format requestedFormat(String[] args) {
    OutputOptions.Format format = OutputOptions.Format.TEXT;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      if (a.equals("--")) {
        break;
      } else if ((a.equals("-o") || a.equals("--output")) && i + 1 < args.length) {
        value = args[++i];
      } else if (a.startsWith("--output=")) {
        value = a.substring("--output=".length());
      } else if (a.startsWith("-o") && !a.startsWith("--") && a.length() > 2) {
        value = a.substring(a.charAt(2) == '=' ? 3 : 2);
      }
      if (value != null) {
        for (OutputOptions.Format f : OutputOptions.Format.values()) {
          if (f.name().equalsIgnoreCase(value)) {
            format = f;
          }
        }
      }
    }
    return format;
  }
}
