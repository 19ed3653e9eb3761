package io.orchestrationplane.policy.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Mutation expressions build typed objects ({@code Object{spec: Object.spec{...}}}, {@code JSONPatch{op: ...}}),
 * which Kubernetes types from the object's schema. Without schemas the engine treats them as maps: this rewrites
 * each message construction whose type name starts with {@code Object} or is {@code JSONPatch} into a map
 * literal with string keys passed to the identity function {@link #FUNCTION} ({@code __s(   {"spec": {...}})}),
 * leaving strings, comments and other braces untouched. The call types the literal {@code dyn}, as a typed object
 * is one value to the literal around it, and exempts it from the homogeneous-literal check, which Kubernetes never
 * applies to an object's fields (they are typed by the schema instead). The type name's place is filled with
 * spaces so that error columns still point at the original position up to the literal's end.
 */
final class StructLiterals {
  /** The identity function a rewritten struct literal is passed to (declared in the mutation environment). */
  static final String FUNCTION = "__s";

  private StructLiterals() {}

  static String rewrite(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    // For each open '{' / '(' / '[': true when it opened a struct literal whose field names must be quoted.
    Deque<Boolean> open = new ArrayDeque<>();
    boolean expectField = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        int end = skipString(text, i);
        out.append(text, i, end);
        i = end;
        expectField = false;
        continue;
      }
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        int end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(text, i, end);
        i = end;
        continue;
      }
      if (Character.isJavaIdentifierStart(c)) {
        int end = i;
        while (end < n && (Character.isJavaIdentifierPart(text.charAt(end)) || text.charAt(end) == '.'
            && end + 1 < n && Character.isJavaIdentifierStart(text.charAt(end + 1)))) {
          end++;
        }
        String word = text.substring(i, end);
        int next = skipSpace(text, end);
        boolean prevIsDot = out.length() > 0 && lastNonSpace(out) == '.';
        if (!prevIsDot && next < n && text.charAt(next) == '{' && isTypeName(word)) {
          // The type name becomes the call (padded to its length), the brace stays: a map literal follows.
          String call = FUNCTION + "(";
          out.append(call).append(" ".repeat(Math.max(0, word.length() - call.length()))).append(text, end, next)
              .append('{');
          open.push(true);
          expectField = true;
          i = next + 1;
          continue;
        }
        if (expectField && Boolean.TRUE.equals(open.peek()) && next < n && text.charAt(next) == ':'
            && word.indexOf('.') < 0) {
          out.append('"').append(word).append('"');
          i = end;
          expectField = false;
          continue;
        }
        out.append(word);
        i = end;
        expectField = false;
        continue;
      }
      switch (c) {
        case '{', '(', '[' -> {
          open.push(false);
          expectField = false;
        }
        case '}', ')', ']' -> {
          boolean struct = !open.isEmpty() && open.pop();
          expectField = false;
          if (struct && c == '}') {
            out.append("})");
            i++;
            continue;
          }
        }
        case ',' -> expectField = Boolean.TRUE.equals(open.peek());
        case '?' -> { } // optional field marker ?field: keeps expectField
        default -> {
          if (!Character.isWhitespace(c)) {
            expectField = false;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isTypeName(String word) {
    return word.equals("Object") || word.startsWith("Object.") || word.equals("JSONPatch");
  }

  private static char lastNonSpace(StringBuilder sb) {
    for (int k = sb.length() - 1; k >= 0; k--) {
      if (!Character.isWhitespace(sb.charAt(k))) {
        return sb.charAt(k);
      }
    }
    return 0;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The index after the string literal starting at {@code i} (single, double, triple-quoted; raw or not). */
  private static int skipString(String s, int i) {
    char q = s.charAt(i);
    boolean raw = i > 0 && (s.charAt(i - 1) == 'r' || s.charAt(i - 1) == 'R');
    boolean triple = s.startsWith("" + q + q + q, i);
    int j = i + (triple ? 3 : 1);
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\' && !raw) {
        j += 2;
        continue;
      }
      if (triple ? s.startsWith("" + q + q + q, j) : c == q) {
        return j + (triple ? 3 : 1);
      }
      j++;
    }
    return s.length();
  }
}
