package io.orchestrationplane.policy.internal;

/**
 * Go's text conventions that Kubernetes' error messages carry: {@code strconv.Quote}, {@code regexp} errors,
 * {@code strings.TrimSpace}.
 */
public final class GoText {
  private GoText() {}

  /**
   * A JSON string as Go's {@code encoding/json} writes it: {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as
   * hexadecimal escapes (HTML-safe), the short escapes of backspace, form feed, newline, carriage return and tab,
   * hexadecimal escapes for the other control characters.
   */
  public static String jsonString(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Go's {@code strconv.Quote}: double quotes, Go escapes for control characters, backslash and quote. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case 7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 11 -> out.append("\\v");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", c));
          } else if (Character.isISOControl(c) || !Character.isDefined(c) || Character.getType(c) == Character.FORMAT) {
            out.append(c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * RE2J's message for a pattern that does not compile, as Go's {@code regexp} words it. They agree except for an
   * unmatched {@code )}, which RE2J reports as an internal "stack underflow" and Go as {@code unexpected )}.
   */
  public static String regexpError(com.google.re2j.PatternSyntaxException e, String pattern) {
    String message = String.valueOf(e.getMessage());
    if (message.endsWith("internal error: `stack underflow`")) {
      return "error parsing regexp: unexpected ): `" + pattern + "`";
    }
    return message;
  }

  /** Go's {@code strings.TrimSpace}: leading and trailing white space as Go's {@code unicode.IsSpace} defines it. */
  public static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace} (all such characters are in the Basic Multilingual Plane). */
  private static boolean isSpace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0' -> true;
      default -> c > '\u00FF' && Character.getType(c) == Character.SPACE_SEPARATOR
          || c == 0x2028 || c == 0x2029;
    };
  }
}
