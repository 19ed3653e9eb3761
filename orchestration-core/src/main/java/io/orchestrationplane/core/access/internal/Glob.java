package io.orchestrationplane.core.access.internal;

import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A glob pattern as Argo CD matches RBAC objects and project destinations (gobwas/glob without
 * separators): {@code *} (and {@code **}) matches any sequence, {@code /} included; {@code ?} one
 * character; {@code [abc]}, {@code [a-z]} and {@code [!abc]} a character of (not of) a class, which
 * holds one range or a list of characters; {@code {a,b}} either alternative; {@code \} escapes the
 * next character; {@code ]}, <code>}</code> and {@code ,} outside a class or group are themselves.
 * A pattern without any of these compares by equality. Other patterns are matched by RE2 (re2j), in time linear in the text as
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
        case '*' -> {
          re.append(".*");
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
            i++; // gobwas's super-asterisk: without separators, the same as one star
          }
        }
        case '?' -> re.append('.');
        case '\\' -> {
          if (i + 1 >= pattern.length()) {
            throw new IllegalArgumentException("glob '" + pattern + "' ends with an escape character");
          }
          int cp = pattern.codePointAt(++i);
          re.append(literal(cp));
          i += Character.charCount(cp) - 1;
        }
        case '[' -> i = charClass(pattern, i, re);
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case ',' -> re.append(braces > 0 ? "|" : literal(','));
        case '}' -> {
          // gobwas reads a '}' that closes nothing as itself
          if (braces > 0) {
            braces--;
            re.append(')');
          } else {
            re.append(literal('}'));
          }
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

  /**
   * The character class opening at {@code open}, as gobwas/glob reads one: {@code [}, an optional
   * {@code !} (negation; {@code ^} is an ordinary character), then either one range {@code lo-hi}
   * or a list of characters ({@code \} escapes one), then {@code ]}. A class of more than one range
   * ({@code [a-z0-9]}) is a syntax error to gobwas, which Argo CD logs and then never matches: it is
   * refused here. Appends the class to {@code re}; returns the index of its {@code ]}.
   */
  private static int charClass(String pattern, int open, StringBuilder re) {
    int n = pattern.length();
    int i = open + 1;
    boolean negated = i < n && pattern.charAt(i) == '!';
    if (negated) {
      i++;
    }
    if (i >= n) {
      throw notClosed(pattern, open);
    }
    int first = pattern.codePointAt(i);
    int afterFirst = i + Character.charCount(first);
    if (afterFirst < n && pattern.charAt(afterFirst) == '-') {
      int hiAt = afterFirst + 1;
      if (hiAt >= n) {
        throw notClosed(pattern, open);
      }
      int hi = pattern.codePointAt(hiAt);
      int close = hiAt + Character.charCount(hi);
      if (close >= n) {
        throw notClosed(pattern, open);
      }
      if (pattern.charAt(close) != ']') {
        throw new IllegalArgumentException("glob '" + pattern + "': the class at column " + (open + 1)
            + " holds one range ([a-z]) or a list of characters ([abc]), not more (Argo CD's glob refuses it)");
      }
      if (first > hi) {
        throw new IllegalArgumentException("glob '" + pattern + "': the range " + new String(Character.toChars(first))
            + "-" + new String(Character.toChars(hi)) + " at column " + (open + 1) + " is empty");
      }
      re.append('[').append(negated ? "^" : "").append(literal(first)).append('-').append(literal(hi)).append(']');
      return close;
    }
    StringBuilder chars = new StringBuilder();
    while (true) {
      if (i >= n) {
        throw notClosed(pattern, open);
      }
      char c = pattern.charAt(i);
      if (c == ']') {
        break;
      }
      if (c == '\\') {
        if (++i >= n) {
          throw new IllegalArgumentException("glob '" + pattern + "' ends with an escape character");
        }
      }
      int cp = pattern.codePointAt(i);
      chars.append(literal(cp));
      i += Character.charCount(cp);
    }
    if (chars.isEmpty()) {
      throw new IllegalArgumentException("glob '" + pattern + "': empty class at column " + (open + 1));
    }
    re.append('[').append(negated ? "^" : "").append(chars).append(']');
    return i;
  }

  private static IllegalArgumentException notClosed(String pattern, int open) {
    return new IllegalArgumentException("glob '" + pattern + "': '[' at column " + (open + 1) + " is not closed");
  }

  /** One character as RE2 reads it literally, in a class too: {@code \x{hex}}. */
  private static String literal(int codePoint) {
    return "\\x{" + Integer.toHexString(codePoint) + "}";
  }

  private static boolean hasMeta(String p) {
    for (int i = 0; i < p.length(); i++) {
      switch (p.charAt(i)) {
        case '*', '?', '[', '{', '\\' -> {
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
