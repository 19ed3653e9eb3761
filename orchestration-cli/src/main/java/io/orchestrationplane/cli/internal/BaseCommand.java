package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every command shares: {@code --output}, writing results, and turning any failure into its
 * exit code with findings (file, line, field) as text, JSON or SARIF. A command implements {@link
 * #execute()} and says which application and policy files it read, so errors can point into them.
 */
abstract class BaseCommand implements Callable<Integer> {
  @Mixin
  OutputOptions output = new OutputOptions();

  /** The application file the command read, for findings; null before (or without) one. */
  @Nullable AppFile app;
  /** The policy files the command read, for findings. */
  List<AppFile.PolicyFile> policyFiles = new ArrayList<>();

  abstract Io io();

  abstract ExitCode execute() throws Exception;

  @Override
  public final Integer call() {
    try {
      return execute().code();
    } catch (Exception e) {
      return report(Failures.of(e, app, policyFiles)).code();
    }
  }

  /**
   * Refuses an {@code APP} argument that is not an application id, {@code <namespace>.<name>} of
   * two RFC 1123 labels, as invalid input before any state is read.
   */
  static String applicationId(String id) {
    int dot = id.indexOf('.');
    String problem = dot < 0 ? "it has no '.'"
        : Names.dnsLabelProblem(id.substring(0, dot)) != null ? "namespace " + Names.dnsLabelProblem(id.substring(0, dot))
        : Names.dnsLabelProblem(id.substring(dot + 1)) != null ? "name " + Names.dnsLabelProblem(id.substring(dot + 1))
        : null;
    if (problem != null) {
      throw CliException.invalid("'" + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
          + "' is not an application id <namespace>.<name> (shop.shop): " + problem);
    }
    return id;
  }

  OutputOptions.Format format() {
    return output.format;
  }

  /** Writes a result: text as it is, JSON pretty-printed. */
  void print(String text) {
    io().out().print(text.endsWith("\n") ? text : text + "\n");
  }

  void print(ObjectNode json) {
    io().out().println(Json.writePrettyJson(json));
  }

  /** The SARIF log of these findings. */
  void sarif(List<Finding> findings) {
    print(Sarif.log(findings, Version.get()));
  }

  ExitCode report(Failures.Failure f) {
    return report(f, format(), io());
  }

  /**
   * Reports a failure in a format: JSON's error document or a SARIF log on standard output (the
   * SARIF's one-line error also on standard error), or text on standard error.
   */
  static ExitCode report(Failures.Failure f, OutputOptions.Format format, Io io) {
    switch (format) {
      case JSON -> {
        ObjectNode root = Json.object();
        root.put("exitCode", f.exitCode().code());
        root.put("error", f.message());
        root.set("findings", findings(f.findings()));
        io.out().println(Json.writePrettyJson(root));
      }
      case SARIF -> {
        io.out().println(Json.writePrettyJson(Sarif.log(f.findings(), Version.get())));
        io.err().println("orchestrate: " + f.message());
      }
      default -> {
        io.err().println("orchestrate: " + f.message());
        for (Finding finding : f.findings()) {
          io.err().println("  " + finding.toText());
        }
      }
    }
    return f.exitCode();
  }

  static ArrayNode findings(List<Finding> findings) {
    ArrayNode list = Json.JSON.createArrayNode();
    for (Finding f : findings) {
      ObjectNode n = list.addObject();
      n.put("rule", f.rule());
      n.put("level", f.level());
      n.put("message", f.message());
      n.put("file", f.file() == null ? null : Paths.display(f.file()));
      n.put("line", f.line());
      n.put("column", f.column());
      n.put("field", f.field());
    }
    return list;
  }
}
