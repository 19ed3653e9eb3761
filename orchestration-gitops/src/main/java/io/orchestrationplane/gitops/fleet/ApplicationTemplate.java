package io.orchestrationplane.gitops.fleet;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * An Application in YAML with {@code {{parameter}}} placeholders (ApplicationSet's template
 * syntax), rendered once per generator item:
 *
 * <pre>{@code
 * ApplicationTemplate.yaml("""
 *     apiVersion: orchestrationplane.io/v1alpha1
 *     kind: Application
 *     metadata: {name: "shop-{{name}}", namespace: shop}
 *     spec:
 *       components:
 *         - {name: api, type: webservice, properties: {image: "acme/shop:1.4"}}
 *       environments:
 *         - {name: "{{name}}", placement: {clusters: ["{{name}}"]}}
 *     """);
 * }</pre>
 *
 * <p>Placeholders are replaced inside string values and keys of the parsed document, never in
 * its text, so a parameter cannot inject YAML structure. A placeholder the item does not set is an
 * error naming it and the field, and so are two keys of one mapping that become the same key.
 * Immutable and thread-safe.
 */
public final class ApplicationTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");
  private final JsonNode tree;

  private ApplicationTemplate(JsonNode tree) {
    this.tree = tree;
  }

  /** Parses the template; throws {@link IllegalArgumentException} with the line when it is not one YAML object. */
  public static ApplicationTemplate yaml(String text) {
    Objects.requireNonNull(text, "text");
    JsonNode tree = Json.readYaml(text);
    if (!tree.isObject()) {
      throw new IllegalArgumentException("an application template must be a YAML object (an Application)");
    }
    return new ApplicationTemplate(tree);
  }

  /**
   * The application for one item's parameters, decoded (not yet validated against the plane's
   * types and clusters). Throws {@link IllegalArgumentException} naming the placeholder and field
   * when a parameter is missing or two keys of one mapping become the same, {@code ValidationException}
   * when the result is no Application.
   */
  public Application render(Map<String, String> parameters) {
    List<String> missing = new ArrayList<>();
    JsonNode rendered = substitute(tree, parameters, "", missing);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("template parameter" + (missing.size() == 1 ? " " : "s ")
          + String.join(", ", missing) + " not set by the generator (it sets " + new java.util.TreeSet<>(
          parameters.keySet()) + ")");
    }
    return ApplicationCodec.fromTree(rendered);
  }

  private static JsonNode substitute(JsonNode node, Map<String, String> params, String path, List<String> missing) {
    if (node.isString()) {
      return StringNode.valueOf(replace(node.stringValue(), params, path, missing));
    }
    if (node.isObject()) {
      ObjectNode out = Json.object();
      Map<String, String> templateKeys = new java.util.HashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = replace(e.getKey(), params, path, missing);
        String before = templateKeys.putIfAbsent(key, e.getKey());
        if (before != null) {
          // the later entry would replace the earlier one unseen, as a key given twice in YAML would
          throw new IllegalArgumentException("template keys '" + before + "' and '" + e.getKey() + "' both become '"
              + key + "' at " + (path.isEmpty() ? "the root" : path) + " for this item: one would replace the other");
        }
        out.set(key, substitute(e.getValue(), params, path.isEmpty() ? key : path + "." + key, missing));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.JSON.createArrayNode();
      int i = 0;
      for (JsonNode n : node) {
        out.add(substitute(n, params, path + "[" + i++ + "]", missing));
      }
      return out;
    }
    return node.deepCopy();
  }

  private static String replace(String text, Map<String, String> params, String path, List<String> missing) {
    if (!text.contains("{{")) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = params.get(m.group(1));
      if (value == null) {
        missing.add("{{" + m.group(1) + "}} (at " + (path.isEmpty() ? "the root" : path) + ")");
        value = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
