package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrate plan FILE}: the dry run. Exit 0 (no changes, or changes without {@code
 * --detailed-exitcode}), 2 (changes, with it), 3 (denied), 4 (invalid), 5 (a cluster unreachable),
 * 1 (other plan problems, such as an object another owner holds).
 */
@Command(name = "plan", description = "Show what applying would change, admitted by the policies; writes nothing.")
final class PlanCommand extends AppCommand {
  @Parameters(paramLabel = "FILE", description = "The Application YAML (or JSON) file.")
  Path file;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes (0: none), as terraform plan -detailed-exitcode.")
  boolean detailedExitCode;

  @Option(names = "--out", paramLabel = "PLAN.json", description = "Also write the plan as JSON, for apply --plan in a later step.")
  @Nullable Path out;

  @Option(names = {"-v", "--verbose"}, description = "Text: also show ignored differences and how each object was compared.")
  boolean verbose;

  @Override
  ExitCode execute() throws IOException {
    try (Session session = open(file)) {
      Plan plan = session.plane().plan(app.application(), session.subject());
      if (out != null) {
        try {
          Files.writeString(out, plan.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new CliException(ExitCode.FAILURE, "cannot write --out " + Paths.display(out) + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist"
                  : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage()));
        }
      }
      switch (format()) {
        case JSON -> print(plan.toJsonTree());
        case SARIF -> sarif(Failures.notices(plan.notices(), app, n -> OrchestrationPlaneView.component(plan, n)));
        default -> print(plan.toText(verbose));
      }
      return exitCode(plan, detailedExitCode, io());
    }
  }

  static ExitCode exitCode(Plan plan, boolean detailed, Io io) {
    if (Failures.anyUnreachable(plan.problems())) {
      io.err().println("orchestrate: a cluster is unreachable; nothing was planned there");
      return ExitCode.UNREACHABLE;
    }
    if (!plan.problems().isEmpty()) {
      io.err().println("orchestrate: the plan has problems (" + plan.problems().size() + "); applying would not reach the desired state");
      return ExitCode.FAILURE;
    }
    return detailed && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.SUCCESS;
  }
}
