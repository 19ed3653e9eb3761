package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code orchestrate history APP --state DIR}: the kept revisions, newest first. It reads the
 * state directory only, so it takes no cluster, policy or subject options (they would change
 * nothing).
 */
@Command(name = "history", description = "List an application's kept revisions, newest first; needs --state.")
final class HistoryCommand extends BaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--state", paramLabel = "DIR", description = "The state directory the revisions are kept in (StateStore.directory).")
  @Nullable Path state;

  @Parameters(paramLabel = "APP", description = "The application id: <namespace>.<name>.")
  String application;

  @Override
  Io io() {
    return root.io;
  }

  @Override
  ExitCode execute() {
    if (state == null) {
      throw CliException.invalid("history needs --state DIR: revisions are kept only in a state directory across runs");
    }
    applicationId(application);
    if (Files.exists(state) && !Files.isDirectory(state)) {
      throw CliException.invalid("--state " + Paths.display(state) + " is not a directory");
    }
    // A directory that does not exist keeps no revisions: reading it must not create it.
    try (StateStore store = Files.exists(state) ? StateStore.directory(state) : StateStore.inMemory();
        OrchestrationPlane reader = OrchestrationPlane.builder().stateStore(store).logging(false).build()) {
      List<Revision> history = reader.history(application);
      switch (format()) {
        case JSON -> {
          ObjectNode root = Json.object();
          root.put("application", application);
          ArrayNode list = root.putArray("revisions");
          for (Revision r : history) {
            ObjectNode n = list.addObject();
            n.put("number", r.number());
            n.put("digest", r.digest());
            n.put("subject", r.source().subject().name());
            n.put("time", r.source().time().toString());
            n.put("origin", r.source().origin().describe());
          }
          print(root);
        }
        case SARIF -> sarif(List.of());
        default -> {
          StringBuilder sb = new StringBuilder(application).append(": ").append(history.size())
              .append(history.size() == 1 ? " revision\n" : " revisions\n");
          history.forEach(r -> sb.append("  ").append(r.describe()).append('\n'));
          print(sb.toString());
        }
      }
      return ExitCode.SUCCESS;
    }
  }
}
