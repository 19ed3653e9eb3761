package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code orchestrate rollback APP REVISION --state DIR}: applies a kept revision again, through admission. */
@Command(name = "rollback", description = "Apply a kept revision's desired state again (admitted by today's policies); needs --state.")
final class RollbackCommand extends BaseCommand {
  @ParentCommand
  RootCommand root;

  @Mixin
  TargetOptions target = new TargetOptions();

  @Mixin
  WaitOptions wait = new WaitOptions();

  @Parameters(index = "0", paramLabel = "APP", description = "The application id: <namespace>.<name>.")
  String application;

  @Parameters(index = "1", paramLabel = "REVISION", description = "A revision number (3) or digest (sha256:...).")
  String revision;

  @Override
  Io io() {
    return root.io;
  }

  @Override
  ExitCode execute() throws InterruptedException {
    wait.check();
    if (target.state == null) {
      throw CliException.invalid("rollback needs --state DIR: revisions are kept only in a state directory across runs");
    }
    applicationId(application);
    String ref = revision.strip();
    if (!ref.matches("[0-9]{1,10}") && !ref.startsWith("sha256:")) { // what the revision log resolves
      throw CliException.invalid("'" + (ref.length() > 80 ? ref.substring(0, 80) + "..." : ref)
          + "' is not a revision: a number (3) or a full digest (sha256:...)");
    }
    policyFiles = AppFile.policies(target.policies);
    try (Session session = Session.forRevisions(target, io(), policyFiles, application)) {
      OrchestrationPlane plane = session.plane();
      long before = ApplyCommand.newestNumber(plane, application);
      ExecutionResult result = plane.rollback(application, revision, session.subject());
      Revision newest = plane.history(application).get(0);
      Application model = newest.model();
      Origin origin = newest.source().origin();
      return ApplyCommand.finish(this, "Rolled back", plane, model, result, before, session, origin, wait);
    }
  }
}
