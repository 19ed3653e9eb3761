package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.resource.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code orchestrate history APP --state DIR}: the kept revisions, newest first. */
@Command(name = "history", description = "List an application's kept revisions, newest first; needs --state.")
final class HistoryCommand extends BaseCommand {
  @ParentCommand
  RootCommand root;

  @Mixin
  TargetOptions target = new TargetOptions();

  @Parameters(paramLabel = "APP", description = "The application id: <namespace>.<name>.")
  String application;

  @Override
  Io io() {
    return root.io;
  }

  @Override
  ExitCode execute() {
    if (target.state == null) {
      throw CliException.invalid("history needs --state DIR: revisions are kept only in a state directory across runs");
    }
    try (Session session = Session.forRevisions(target, io(), List.of(), application)) {
      List<Revision> history = session.plane().history(application);
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
