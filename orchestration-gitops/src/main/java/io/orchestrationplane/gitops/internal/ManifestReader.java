package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.render.Renderer;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.gitops.GitFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a directory of a commit into applications: every {@code Application} document (apiVersion
 * {@code orchestrationplane.io/...}) through the plane's loader, with its validation; every other
 * Kubernetes manifest into one application of component type {@code k8s-objects}. Problems name
 * the file and line. Stateless.
 */
public final class ManifestReader {
  private static final Pattern SEPARATOR = Pattern.compile("^---(\\s.*)?$");
  private static final Pattern END = Pattern.compile("^\\.\\.\\.\\s*$");

  /** An application read from the directory, and the file it came from (the directory for plain manifests). */
  public record Read(Application application, String path) {}

  /** What a directory holds: applications by id, or the problems that keep it from being applied. */
  public record Result(Map<String, Read> applications, List<String> problems) {}

  private ManifestReader() {}

  /**
   * @param manifestsName name of the application that holds plain manifests
   * @param manifestsNamespace its namespace (objects without one get it)
   */
  public static Result read(OrchestrationPlane plane, String dir, List<GitFile> files, String manifestsName,
      String manifestsNamespace) {
    Map<String, Read> apps = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<Object> manifests = new ArrayList<>();
    for (GitFile file : files) {
      for (Document doc : split(file.text())) {
        JsonNode tree;
        try {
          tree = file.path().endsWith(".json") ? Json.readJson(doc.text) : Json.readYaml(doc.text);
        } catch (RuntimeException e) {
          // the core reader's message says "invalid YAML/JSON: <problem>" and never quotes the input
          problems.add(file.path() + ":" + location(e, doc.firstLine) + ": " + firstLine(e.getMessage()));
          continue;
        }
        if (tree == null || tree.isNull() || tree.isMissingNode() || (tree.isObject() && tree.isEmpty())) {
          continue;
        }
        if (!tree.isObject() || !tree.path("apiVersion").isString() || !tree.path("kind").isString()) {
          problems.add(file.path() + ":" + doc.firstLine + ": not a Kubernetes object (apiVersion and kind are required)");
          continue;
        }
        String apiVersion = tree.path("apiVersion").stringValue();
        String kind = tree.path("kind").stringValue();
        if (Application.KIND.equals(kind) && apiVersion.startsWith("orchestrationplane.io/")) {
          try {
            Application app = plane.load(doc.text);
            Read previous = apps.putIfAbsent(app.id(), new Read(app, file.path()));
            if (previous != null) {
              problems.add(file.path() + ":" + doc.firstLine + ": application " + app.id() + " is also defined in "
                  + previous.path());
            }
          } catch (ValidationException e) {
            for (Problem p : e.problems()) {
              problems.add(file.path() + ":" + (p.hasLocation() ? (p.line() + doc.firstLine - 1) + ":" + p.column()
                  : String.valueOf(doc.firstLine)) + ": " + (p.path().isEmpty() ? "" : p.path() + ": ") + p.message());
            }
          }
          continue;
        }
        if (!tree.path("metadata").path("name").isString() || tree.path("metadata").path("name").stringValue().isBlank()) {
          problems.add(file.path() + ":" + doc.firstLine + ": " + kind + " has no metadata.name");
          continue;
        }
        Resource object;
        try {
          object = Resource.of(tree); // what the k8s-objects component will make of it: refused here, at its file and line
        } catch (IllegalArgumentException e) {
          problems.add(file.path() + ":" + doc.firstLine + ": " + e.getMessage());
          continue;
        }
        String refused = Renderer.objectProblem(object, plane.kinds()); // what its render would refuse, here too
        if (refused != null) {
          problems.add(file.path() + ":" + doc.firstLine + ": " + object + ": " + refused);
          continue;
        }
        manifests.add(Json.JSON.convertValue(tree, Object.class));
      }
    }
    if (!manifests.isEmpty() && problems.isEmpty()) {
      try {
        Application app = plane.validate(Application.builder(manifestsName).namespace(manifestsNamespace)
            .component(Component.builder("manifests", "k8s-objects").property("objects", manifests).build())
            .build());
        Read previous = apps.putIfAbsent(app.id(), new Read(app, dir));
        if (previous != null) {
          problems.add("the plain manifests of " + (dir.isEmpty() ? "the repository root" : dir) + " form application "
              + app.id() + ", which " + previous.path() + " also defines");
        }
      } catch (ValidationException e) {
        for (Problem p : e.problems()) {
          problems.add((dir.isEmpty() ? "." : dir) + ": plain manifests: " + p.path() + ": " + p.message());
        }
      } catch (IllegalArgumentException e) {
        problems.add((dir.isEmpty() ? "." : dir) + ": plain manifests: " + e.getMessage());
      }
    }
    return new Result(apps, problems);
  }

  private record Document(String text, int firstLine) {}

  /** YAML documents with the line (1-based) each starts on; the separators themselves are blanked. */
  private static List<Document> split(String text) {
    List<Document> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder current = new StringBuilder();
    int start = 1;
    for (int i = 0; i < lines.length; i++) {
      if (SEPARATOR.matcher(lines[i]).matches() || END.matcher(lines[i]).matches()) {
        if (!current.toString().isBlank()) {
          out.add(new Document(current.toString(), start));
        }
        current.setLength(0);
        start = i + 2;
        continue;
      }
      current.append(lines[i]).append('\n');
    }
    if (!current.toString().isBlank()) {
      out.add(new Document(current.toString(), start));
    }
    return out;
  }

  private static final Pattern AT_LINE = Pattern.compile(" at line (\\d+), column (\\d+)");

  /** The file's line and column of a parse failure (the core reader counts from the document's start). */
  private static String location(RuntimeException e, int firstLine) {
    java.util.regex.Matcher m = AT_LINE.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      return (Integer.parseInt(m.group(1)) + firstLine - 1) + ":" + m.group(2);
    }
    return String.valueOf(firstLine);
  }

  /** The parse failure without its own position (given in file terms instead). */
  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    String first = nl < 0 ? message : message.substring(0, nl);
    return AT_LINE.matcher(first).replaceFirst("");
  }
}
