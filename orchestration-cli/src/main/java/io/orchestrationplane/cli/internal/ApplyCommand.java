package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code orchestrate apply FILE}: plan, admit, write; records a revision; optionally waits until ready. */
@Command(name = "apply", description = "Apply an application (admitted by the policies), record a revision, and optionally wait until it is ready.")
final class ApplyCommand extends AppCommand {
  @Parameters(paramLabel = "FILE", description = "The Application YAML (or JSON) file.")
  Path file;

  @Option(names = "--plan", paramLabel = "PLAN.json",
      description = "Apply only if planning again gives this reviewed plan (from plan --out); otherwise nothing is written.")
  @Nullable Path reviewed;

  @Mixin
  WaitOptions wait = new WaitOptions();

  @Override
  ExitCode execute() throws InterruptedException {
    wait.check();
    try (Session session = open(file)) {
      OrchestrationPlane plane = session.plane();
      Application application = app.application();
      Origin origin = Origin.file(origin(file));
      long before = newestNumber(plane, application.id());
      ExecutionResult result;
      if (reviewed == null) {
        result = plane.apply(application, session.subject(), origin);
      } else {
        Plan plan;
        try {
          plan = Plan.fromJson(AppFile.text(reviewed));
        } catch (IllegalArgumentException e) {
          throw CliException.invalid(Paths.display(reviewed) + ": not a plan written by plan --out: " + e.getMessage());
        }
        if (!plan.application().equals(application.id())) {
          // A plan of another application is a mismatched pair of arguments, as diff's two files of
          // two applications are, not a reviewed plan the cluster moved away from.
          throw CliException.invalid(Paths.display(reviewed) + ": the plan is for application " + plan.application()
              + ", not " + application.id() + " of " + Paths.display(file));
        }
        result = plane.apply(application, plan, session.subject(), origin);
      }
      return finish(this, "Applied", plane, application, result, before, session, origin, wait);
    }
  }

  /** The number of the application's newest revision; 0 when it has none. */
  static long newestNumber(OrchestrationPlane plane, String id) {
    return plane.history(id).stream().findFirst().map(Revision::number).orElse(0L);
  }

  /** Writes the result (and waits, with {@code --wait}); shared with rollback. */
  static ExitCode finish(BaseCommand command, String verb, OrchestrationPlane plane, Application application,
      ExecutionResult result, long newestBefore, Session session, Origin origin, WaitOptions wait)
      throws InterruptedException {
    String id = application.id();
    Optional<Revision> newest = plane.history(id).stream().findFirst();
    boolean recorded = newest.map(Revision::number).orElse(0L) > newestBefore;
    ExitCode code = Results.exitCode(result);
    Waiter.Waited waited = null;
    if (wait.wait && code == ExitCode.SUCCESS) {
      waited = Waiter.await(plane, application, result, session.subject(), origin, wait, command.io());
      result = waited.last();
      code = waited.ready() ? ExitCode.SUCCESS : Results.exitCode(result) == ExitCode.SUCCESS ? ExitCode.FAILURE
          : Results.exitCode(result);
    }
    switch (command.format()) {
      case JSON -> {
        var root = Results.json(id, result, newest, recorded);
        if (waited != null) {
          root.put("ready", waited.ready());
          root.set("status", Results.json(waited.status()));
        }
        command.print(root);
      }
      case SARIF -> {
        var plan = result.plan();
        command.sarif(Failures.notices(plan.notices(), command.app, n -> OrchestrationPlaneView.component(plan, n)));
      }
      default -> {
        command.print(Results.text(verb, id, result, newest, recorded));
        if (waited != null) {
          command.print(waited.status().toText());
        }
      }
    }
    if (waited != null && !waited.ready() && waited.last().succeeded()) {
      command.io().err().println("orchestrate: " + id + " is not ready after " + WaitOptions.human(wait.timeout) + "; still waiting:\n"
          + Waiter.pending(waited.status()));
    }
    return code;
  }
}
