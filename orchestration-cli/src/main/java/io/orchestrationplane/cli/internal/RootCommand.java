package io.orchestrationplane.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code orchestrate}: the list of commands. Adding one is a class extending {@link BaseCommand}
 * with {@code @ParentCommand RootCommand root} and a line here.
 */
@Command(name = "orchestrate", mixinStandardHelpOptions = true, versionProvider = Version.class,
    scope = CommandLine.ScopeType.INHERIT, // every command takes --help and --version
    description = "Validate, plan, apply and police Orchestration Plane applications from CI.",
    subcommands = {
        ValidateCommand.class,
        RenderCommand.class,
        PlanCommand.class,
        ApplyCommand.class,
        StatusCommand.class,
        DiffCommand.class,
        HistoryCommand.class,
        RollbackCommand.class,
        PolicyCommand.class,
        AuditCommand.class,
    },
    footer = {"", "Exit codes: 0 success or no changes, 1 failure, 2 changes (--detailed-exitcode),",
        "3 denied by policy, 4 invalid input, 5 cluster unreachable; audit verify: 1 not intact.",
        "See docs/cli.md."})
final class RootCommand implements Callable<Integer> {
  final Io io;

  @Spec
  CommandSpec spec;

  RootCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
