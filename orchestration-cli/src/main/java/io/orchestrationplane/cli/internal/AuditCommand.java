package io.orchestrationplane.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code orchestrate audit}: the audit log commands ({@code verify}). */
@Command(name = "audit", description = "Audit log commands.", subcommands = {AuditVerifyCommand.class})
final class AuditCommand implements Callable<Integer> {
  @ParentCommand
  RootCommand root;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "an audit command is required (verify)");
  }
}
