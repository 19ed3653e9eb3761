package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code orchestrate render FILE}: the Kubernetes objects each environment renders to, without a cluster. */
@Command(name = "render", description = "Print the Kubernetes objects an application renders to, per environment (Secret values redacted).")
final class RenderCommand extends AppCommand {
  static final String REDACTED = "(redacted)";

  @Parameters(paramLabel = "FILE", description = "The Application YAML (or JSON) file.")
  Path file;

  @Option(names = {"-e", "--environment"}, paramLabel = "NAME", description = "Only this environment.")
  @Nullable String environment;

  @Option(names = "--show-secrets", description = "Print Secret data and stringData values instead of " + REDACTED + ".")
  boolean showSecrets;

  @Override
  ExitCode execute() {
    try (Session session = open(file)) {
      Map<String, List<Resource>> rendered = session.plane().render(app.application());
      if (environment != null && !rendered.containsKey(environment)) {
        throw CliException.invalid("--environment " + environment + ": application " + app.application().id()
            + " has no such environment (it has: " + String.join(", ", rendered.keySet()) + ")");
      }
      switch (format()) {
        case JSON -> {
          ObjectNode root = Json.object();
          root.put("application", app.application().id());
          ObjectNode envs = root.putObject("environments");
          rendered.forEach((env, objects) -> {
            if (environment == null || environment.equals(env)) {
              ArrayNode list = envs.putArray(env);
              objects.forEach(o -> list.add(shown(o)));
            }
          });
          print(root);
        }
        case SARIF -> sarif(List.of());
        default -> {
          StringBuilder sb = new StringBuilder();
          rendered.forEach((env, objects) -> {
            if (environment == null || environment.equals(env)) {
              for (Resource o : objects) {
                sb.append("---\n# environment: ").append(env).append('\n');
                String yaml = Json.writeYaml(shown(o));
                sb.append(yaml.startsWith("---") ? yaml.substring(yaml.indexOf('\n') + 1) : yaml);
              }
            }
          });
          print(sb.toString());
        }
      }
      return ExitCode.SUCCESS;
    }
  }

  private JsonNode shown(Resource o) {
    if (showSecrets || !Redactor.isSecret(o)) {
      return o.json();
    }
    ObjectNode copy = o.toJson();
    for (String field : List.of("data", "stringData")) {
      if (copy.get(field) instanceof ObjectNode values) {
        for (String key : new ArrayList<>(values.propertyNames())) {
          values.put(key, REDACTED);
        }
      }
    }
    return copy;
  }
}
