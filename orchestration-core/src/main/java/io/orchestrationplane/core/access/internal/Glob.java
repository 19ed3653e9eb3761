package io.orchestrationplane.core.access.internal;

import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A glob pattern as Argo CD matches RBAC objects and project destinations (gobwas/glob without
 * separators): {@code *} matches any sequence, {@code /} included; {@code ?} one character;
 * {@code [abc]}, {@code [a-z]} and {@code [!abc]} a character of (not of) a class; {@code {a,b}}
 * either alternative; {@code \} escapes the next character. A pattern without any of these
 * compares by equality. Other patterns are matched by RE2 (re2j), in time linear in the text as
 * gobwas/glob matches: a backtracking matcher would take time exponential in the stars of a
 * pattern such as {@code *a*a*a*a*a*a*[b]} on a long name (hours for an object name of 100
 * characters), and the names come from requests. Immutable.
 */
public final class Glob {
  private final String pattern;
  private final @Nullable Pattern regex;
  /** For {@code literal*}, the most common pattern of policies ({@code shop/*}): the literal prefix. */
  private final @Nullable String prefix;
  /**
   * For a pattern whose only special character is {@code *} ({@code shop/}{@code *}{@code /prod}): the
   * literals between the stars, matched without a regular expression; null otherwise.
   */
  private final String @Nullable [] segments;

  private Glob(String pattern, @Nullable Pattern regex, @Nullable String prefix, String @Nullable [] segments) {
    this.pattern = pattern;
    this.regex = regex;
    this.prefix = prefix;
    this.segments = segments;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Glob> CONFIGURED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The compiled form of a pattern from configuration (projects), compiled once: patterns come
   * from the embedder's settings, never from requests, so the cache stays as small as they are.
   */
  public static Glob of(String pattern) {
    Glob g = CONFIGURED.get(pattern);
    if (g == null) {
      g = compile(pattern);
      if (CONFIGURED.size() < 10_000) {
        CONFIGURED.put(pattern, g);
      }
    }
    return g;
  }

  /** Compiles {@code pattern}; throws {@link IllegalArgumentException} naming the column of a syntax error. */
  public static Glob compile(String pattern) {
    if (!hasMeta(pattern)) {
      return new Glob(pattern, null, null, null);
    }
    String head = pattern.substring(0, pattern.length() - 1);
    if (pattern.endsWith("*") && !hasMeta(head)) {
      return new Glob(pattern, null, head, null);
    }
    if (!hasMeta(pattern.replace("*", ""))) {
      return new Glob(pattern, null, null, pattern.split("\\*", -1));
    }
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '\\' -> {
          if (i + 1 >= pattern.length()) {
            throw new IllegalArgumentException("glob '" + pattern + "' ends with an escape character");
          }
          int cp = pattern.codePointAt(++i);
          re.append(literal(cp));
          i += Character.charCount(cp) - 1;
        }
        case '[' -> {
          int end = pattern.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("glob '" + pattern + "': '[' at column " + (i + 1) + " is not closed");
          }
          String body = pattern.substring(i + 1, end);
          boolean negated = body.startsWith("!") || body.startsWith("^");
          if (negated) {
            body = body.substring(1);
          }
          if (body.isEmpty()) {
            throw new IllegalArgumentException("glob '" + pattern + "': empty class at column " + (i + 1));
          }
          re.append('[').append(negated ? "^" : "");
          for (int j = 0; j < body.length(); j++) {
            char b = body.charAt(j);
            if (b == '-' && j > 0 && j < body.length() - 1) {
              re.append('-');
            } else if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
              re.append(b);
            } else {
              int cp = body.codePointAt(j);
              re.append(literal(cp));
              j += Character.charCount(cp) - 1;
            }
          }
          re.append(']');
          i = end;
        }
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        case '}' -> {
          if (braces == 0) {
            throw new IllegalArgumentException("glob '" + pattern + "': '}' at column " + (i + 1) + " closes nothing");
          }
          braces--;
          re.append(')');
        }
        default -> {
          int cp = pattern.codePointAt(i);
          re.append(literal(cp));
          i += Character.charCount(cp) - 1;
        }
      }
    }
    if (braces > 0) {
      throw new IllegalArgumentException("glob '" + pattern + "': '{' is not closed");
    }
    return new Glob(pattern, Pattern.compile(re.toString(), Pattern.DOTALL), null, null);
  }

  /** One character as RE2 reads it literally, in a class too: {@code \x{hex}}. */
  private static String literal(int codePoint) {
    return "\\x{" + Integer.toHexString(codePoint) + "}";
  }

  private static boolean hasMeta(String p) {
    for (int i = 0; i < p.length(); i++) {
      switch (p.charAt(i)) {
        case '*', '?', '[', '{', '\\', '}' -> {
          return true;
        }
        default -> { }
      }
    }
    return false;
  }

  public boolean matches(String text) {
    if (prefix != null) {
      return text.startsWith(prefix);
    }
    if (segments != null) {
      return starsMatch(segments, text);
    }
    return regex == null ? pattern.equals(text) : regex.matcher(text).matches();
  }

  /**
   * {@code segments} joined by {@code *}s (at least one) match {@code text}: the first segment
   * starts it, the last ends it without overlapping the first, and the ones between follow in
   * order; each found at its leftmost place, which leaves the most room for the rest.
   */
  private static boolean starsMatch(String[] segments, String text) {
    String first = segments[0];
    String last = segments[segments.length - 1];
    if (text.length() < first.length() + last.length() || !text.startsWith(first) || !text.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = text.length() - last.length();
    for (int i = 1; i < segments.length - 1; i++) {
      String middle = segments[i];
      int at = text.indexOf(middle, from);
      if (at < 0 || at + middle.length() > end) {
        return false;
      }
      from = at + middle.length();
    }
    return true;
  }

  /** True for a pattern that compares by equality. */
  public boolean isLiteral() {
    return regex == null && prefix == null && segments == null;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
