package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.resource.Json;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code orchestrate validate FILE}: the application is valid for the target's types and clusters, and the policies compile. */
@Command(name = "validate", description = "Check an application file (every problem, with line and field) and that the policies compile.")
final class ValidateCommand extends AppCommand {
  @Parameters(paramLabel = "FILE", description = "The Application YAML (or JSON) file.")
  Path file;

  @Override
  ExitCode execute() {
    try (Session session = open(file)) {
      Application valid = session.plane().validate(app.application());
      switch (format()) {
        case JSON -> {
          ObjectNode root = Json.object();
          root.put("file", Paths.display(file));
          root.put("application", valid.id());
          root.put("valid", true);
          root.put("components", valid.components().size());
          root.put("environments", OrchestrationPlaneView.environments(valid).size());
          root.put("policies", policyFiles.stream().mapToInt(f -> f.policies().policies().size()).sum());
          print(root);
        }
        case SARIF -> sarif(List.of());
        default -> {
          int envs = OrchestrationPlaneView.environments(valid).size();
          print(Paths.display(file) + ": application " + valid.id() + " is valid (" + valid.components().size()
              + (valid.components().size() == 1 ? " component, " : " components, ") + envs
              + (envs == 1 ? " environment)" : " environments)"));
        }
      }
      return ExitCode.SUCCESS;
    }
  }
}
