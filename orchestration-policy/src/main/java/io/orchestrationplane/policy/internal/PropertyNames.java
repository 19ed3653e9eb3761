package io.orchestrationplane.policy.internal;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Kubernetes' escaping of property names that are not CEL identifiers: {@code __underscores__},
 * {@code __dot__}, {@code __dash__}, {@code __slash__}, and {@code __keyword__} for CEL reserved words.
 */
public final class PropertyNames {
  /** CEL's reserved words, which Kubernetes escapes as {@code __word__}. */
  public static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
      "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
      "var", "void", "while");

  private PropertyNames() {}

  /** The escaped form of a property name, or null when it cannot be accessed from CEL. */
  public static @Nullable String escape(String name) {
    if (RESERVED.contains(name)) {
      return "__" + name + "__";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' && name.startsWith("__", i)) {
        out.append("__underscores__");
        i++;
      } else if (c == '.') {
        out.append("__dot__");
      } else if (c == '-') {
        out.append("__dash__");
      } else if (c == '/') {
        out.append("__slash__");
      } else if (Character.isLetterOrDigit(c) && c < 128 || c == '_') {
        out.append(c);
      } else {
        return null;
      }
    }
    return out.toString();
  }

  /** The original name of an escaped property name, or null when {@code escaped} contains no escape. */
  public static @Nullable String unescape(String escaped) {
    if (escaped.length() > 4 && escaped.startsWith("__") && escaped.endsWith("__")) {
      String inner = escaped.substring(2, escaped.length() - 2);
      if (RESERVED.contains(inner)) {
        return inner;
      }
    }
    StringBuilder out = new StringBuilder();
    boolean changed = false;
    int i = 0;
    while (i < escaped.length()) {
      if (escaped.startsWith("__underscores__", i)) {
        out.append("__");
        i += 15;
        changed = true;
      } else if (escaped.startsWith("__dot__", i)) {
        out.append('.');
        i += 7;
        changed = true;
      } else if (escaped.startsWith("__dash__", i)) {
        out.append('-');
        i += 8;
        changed = true;
      } else if (escaped.startsWith("__slash__", i)) {
        out.append('/');
        i += 9;
        changed = true;
      } else {
        out.append(escaped.charAt(i++));
      }
    }
    return changed ? out.toString() : null;
  }
}
