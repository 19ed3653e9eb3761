package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.status.ApplicationStatus;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code orchestrate status FILE}: phase, conditions and every object's sync and health, read now. Exit 0 only when READY. */
@Command(name = "status", description = "Show the application's status on the target (read-only); exit 0 when READY, 1 when not, 5 when a cluster is unreachable.")
final class StatusCommand extends AppCommand {
  @Parameters(paramLabel = "FILE", description = "The Application YAML (or JSON) file.")
  Path file;

  @Override
  ExitCode execute() {
    try (Session session = open(file)) {
      ApplicationStatus status = session.plane().status(app.application());
      switch (format()) {
        case JSON -> print(Results.json(status));
        case SARIF -> sarif(Failures.notices(status.notices(), app, n -> null));
        default -> print(status.toText());
      }
      if (Failures.anyUnreachable(status.problems())) {
        return ExitCode.UNREACHABLE;
      }
      return status.isReady() ? ExitCode.SUCCESS : ExitCode.FAILURE;
    }
  }
}
