package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.release.RevisionDiff;
import io.orchestrationplane.core.resource.Json;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code orchestrate diff OLD.yaml NEW.yaml} (two files of one application) or {@code orchestrate
 * diff APP FROM TO --state DIR} (two kept revisions): what changes in the rendered objects, field
 * by field, Secret values as keyed digests.
 */
@Command(name = "diff", description = "Compare what two files of an application render to (diff OLD NEW), or two kept revisions (diff APP FROM TO --state DIR).")
final class DiffCommand extends BaseCommand {
  @ParentCommand
  RootCommand root;

  @Mixin
  TargetOptions target = new TargetOptions();

  @Parameters(arity = "2..3", paramLabel = "ARG", description = "OLD NEW (files), or APP FROM TO (revision numbers).")
  List<String> args;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when there are differences (0: none).")
  boolean detailedExitCode;

  @Override
  Io io() {
    return root.io;
  }

  @Override
  ExitCode execute() {
    RevisionDiff diff;
    String title;
    if (args.size() == 2) {
      Path from = Path.of(args.get(0));
      Path to = Path.of(args.get(1));
      AppFile before = AppFile.read(from);
      app = before;
      AppFile after = AppFile.read(to);
      try (Session session = Session.open(target, io(), List.of(), List.of(before.application(), after.application()))) {
        session.plane().validate(before.application()); // an invalid version is reported against its own file
        app = after;
        session.plane().validate(after.application());
        diff = session.plane().diff(before.application(), after.application());
      } catch (IllegalArgumentException e) {
        throw CliException.invalid(Paths.display(from) + " and " + Paths.display(to) + ": " + e.getMessage());
      }
      title = diff.application() + ": " + Paths.display(from) + " -> " + Paths.display(to);
    } else {
      if (target.state == null) {
        throw CliException.invalid("diff of revisions needs --state DIR: revisions are kept only in a state directory across runs");
      }
      applicationId(args.get(0));
      long a = number(args.get(1));
      long b = number(args.get(2));
      try (Session session = Session.forRevisions(target, io(), List.of(), args.get(0))) {
        diff = session.plane().diff(args.get(0), a, b);
      }
      title = diff.application() + ": revision " + a + " -> " + b;
    }
    switch (format()) {
      case JSON -> print(json(diff, title));
      case SARIF -> sarif(List.of());
      default -> print(text(diff, title));
    }
    return detailedExitCode && !diff.isEmpty() ? ExitCode.CHANGES : ExitCode.SUCCESS;
  }

  private static long number(String s) {
    try {
      long n = Long.parseLong(s);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw CliException.invalid("'" + s + "' is not a revision number (1, 2, ...)");
    }
  }

  static String text(RevisionDiff diff, String title) {
    StringBuilder out = new StringBuilder(title);
    if (diff.isEmpty()) {
      return out.append(": no differences\n").toString();
    }
    out.append('\n');
    for (RevisionDiff.ObjectDiff o : diff.objects()) {
      out.append(o.type().symbol()).append(' ').append(o.key().display()).append(" (cluster ").append(o.key().cluster())
          .append(")\n");
      for (FieldDiff f : o.fields()) {
        out.append("    ").append(f.path()).append(": ").append(shown(f.before())).append(" -> ").append(shown(f.after()))
            .append('\n');
      }
    }
    return out.toString();
  }

  static ObjectNode json(RevisionDiff diff, String title) {
    ObjectNode root = Json.object();
    root.put("application", diff.application());
    root.put("title", title);
    if (diff.from() > 0) {
      root.put("from", diff.from());
      root.put("to", diff.to());
    }
    ArrayNode objects = root.putArray("objects");
    for (RevisionDiff.ObjectDiff o : diff.objects()) {
      ObjectNode n = objects.addObject();
      n.put("action", o.type().name().toLowerCase(java.util.Locale.ROOT));
      n.put("cluster", o.key().cluster());
      n.put("object", o.key().display());
      ArrayNode fields = n.putArray("fields");
      for (FieldDiff f : o.fields()) {
        ObjectNode fn = fields.addObject();
        fn.put("path", f.path());
        fn.set("before", f.before());
        fn.set("after", f.after());
      }
    }
    return root;
  }

  private static String shown(tools.jackson.databind.@org.jspecify.annotations.Nullable JsonNode value) {
    return value == null ? "(absent)" : Json.writeJson(value);
  }
}
