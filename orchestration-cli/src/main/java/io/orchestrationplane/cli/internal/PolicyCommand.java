package io.orchestrationplane.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code orchestrate policy}: the policy commands ({@code test}). */
@Command(name = "policy", description = "Policy commands.", subcommands = {PolicyTestCommand.class})
final class PolicyCommand implements Callable<Integer> {
  @ParentCommand
  RootCommand root;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a policy command is required (test)");
  }
}
