package io.orchestrationplane.core.model.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The texts of a property value's leaves (every scalar inside its maps and lists), for what must
 * never be quoted: sensitive property values, which validation and rendering look for in messages.
 * Stateless and thread-safe.
 */
public final class ValueLeaves {
  private ValueLeaves() {}

  /** Adds the text of every non-empty leaf of {@code value} to {@code out}, without recursion. */
  public static void collect(@Nullable Object value, Set<String> out) {
    ArrayDeque<Object> todo = new ArrayDeque<>();
    if (value != null) {
      todo.push(value);
    }
    while (!todo.isEmpty()) {
      Object v = todo.pop();
      if (v instanceof Map<?, ?> m) {
        m.values().forEach(x -> {
          if (x != null) {
            todo.push(x);
          }
        });
      } else if (v instanceof Collection<?> c) {
        c.forEach(x -> {
          if (x != null) {
            todo.push(x);
          }
        });
      } else {
        String text = String.valueOf(v);
        if (!text.isEmpty()) {
          out.add(text);
        }
      }
    }
  }
}
