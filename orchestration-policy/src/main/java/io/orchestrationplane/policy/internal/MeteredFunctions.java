package io.orchestrationplane.policy.internal;

import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelResolvedOverload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Functions bound per evaluation (cel-java's late-bound functions) rather than once per environment, for two
 * reasons: their results may be far larger than their arguments ({@code replace}, {@code join}, {@code format},
 * {@code strings.quote}, {@code lists.range}), so the size of the result is checked against the cost still
 * available before it is allocated; or their overload depends on the elements of a list ({@code sum}, {@code min},
 * {@code max}, {@code isSorted}: cel-go dispatches on the first element, which static dispatch cannot express).
 */
final class MeteredFunctions {
  /**
   * The engine's bound on {@code lists.range} when no cost limit applies (cel-go has none; under Kubernetes' limits
   * the cost of such a list stops it first).
   */
  private static final long MAX_RANGE = 10_000_000;

  private MeteredFunctions() {}

  @FunctionalInterface
  private interface Impl {
    Object apply(@Nullable CostTracker tracker, Object[] args);
  }

  private record Overload(String function, int arity, List<Class<?>> types, Impl impl) {}

  private static final Map<String, Overload> OVERLOADS = Map.ofEntries(
      entry("string_replace_string_string", "replace", List.of(String.class, String.class, String.class),
          (t, a) -> replace(t, (String) a[0], (String) a[1], (String) a[2], -1)),
      entry("string_replace_string_string_int", "replace",
          List.of(String.class, String.class, String.class, Long.class),
          (t, a) -> replace(t, (String) a[0], (String) a[1], (String) a[2], (Long) a[3])),
      entry("list_join", "join", List.of(List.class), (t, a) -> join(t, (List<?>) a[0], "")),
      entry("list_join_string", "join", List.of(List.class, String.class),
          (t, a) -> join(t, (List<?>) a[0], (String) a[1])),
      entry("strings_quote", "strings.quote", List.of(String.class), (t, a) -> {
        String s = (String) a[0];
        if (t != null) {
          t.reserve(KubeFunctions.quotedLength(s), true);
        }
        return KubeFunctions.quote(s);
      }),
      entry("string_format", "format", List.of(String.class, List.class), (t, a) -> KubeFunctions.call(() ->
          StringFormat.format((String) a[0], (List<?>) a[1], t == null ? Long.MAX_VALUE
              : Math.max(1024, t.available() * 10)))),
      entry("lists_range", "lists.range", List.of(Long.class), (t, a) -> range(t, (Long) a[0])),
      entry("list_sum", "sum", List.of(List.class), (t, a) -> KubeFunctions.sum((List<?>) a[0])),
      entry("list_max", "max", List.of(List.class), (t, a) -> KubeFunctions.extreme((List<?>) a[0], 1, "max")),
      entry("list_min", "min", List.of(List.class), (t, a) -> KubeFunctions.extreme((List<?>) a[0], -1, "min")),
      entry("list_is_sorted", "isSorted", List.of(List.class), (t, a) -> KubeFunctions.isSorted((List<?>) a[0])),
      entry("list_sort", "sort", List.of(List.class), (t, a) -> KubeFunctions.sort((List<?>) a[0])),
      entry("list_sort_by_associated_keys", "@sortByAssociatedKeys", List.of(List.class, List.class),
          (t, a) -> KubeFunctions.sortByAssociatedKeys((List<?>) a[0], (List<?>) a[1])));

  private static Map.Entry<String, Overload> entry(String id, String function, List<Class<?>> types, Impl impl) {
    return Map.entry(id, new Overload(function, types.size(), types, impl));
  }

  /** Resolves without a cost budget (engines and expressions built with budget 0). */
  static final CelFunctionResolver UNMETERED = new CelFunctionResolver() {
    @Override public Optional<CelResolvedOverload> findOverloadMatchingArgs(String functionName, Object[] args) {
      return resolve(null, functionName, null, args);
    }

    @Override public Optional<CelResolvedOverload> findOverloadMatchingArgs(String functionName,
        Collection<String> overloadIds, Object[] args) {
      return resolve(null, functionName, overloadIds, args);
    }
  };

  static Optional<CelResolvedOverload> resolve(@Nullable CostTracker tracker, String function, @Nullable Collection<String> ids,
      Object[] args) {
    for (Overload o : OVERLOADS.values()) {
      if (o.function.equals(function) && o.arity == args.length && matches(o.types, args)) {
        return Optional.of(CelResolvedOverload.of(function, function, a -> o.impl.apply(tracker, a), true,
            o.types));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(List<Class<?>> types, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!types.get(i).isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  /** Go's {@code strings.Replace}: an empty {@code old} matches before every character and at the end. */
  static String replace(@Nullable CostTracker tracker, String s, String old, String repl, long n) {
    if (n == 0 || old.equals(repl)) {
      return s;
    }
    long count = 0;
    if (old.isEmpty()) {
      count = s.codePointCount(0, s.length()) + 1L;
    } else {
      for (int i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length())) {
        count++;
      }
    }
    if (n > 0) {
      count = Math.min(count, n);
    }
    long resultLength = s.length() + count * (repl.length() - (long) old.length());
    if (tracker != null) {
      tracker.reserve(resultLength, true);
    }
    if (resultLength > Integer.MAX_VALUE - 16) {
      throw new KubeFunctions.Failure("string too long");
    }
    StringBuilder out = new StringBuilder((int) resultLength);
    long done = 0;
    if (old.isEmpty()) {
      int i = 0;
      while (i <= s.length()) {
        if (done < count) {
          out.append(repl);
          done++;
        }
        if (i == s.length()) {
          break;
        }
        int cp = s.codePointAt(i);
        out.appendCodePoint(cp);
        i += Character.charCount(cp);
      }
      return out.toString();
    }
    int from = 0;
    for (int i = s.indexOf(old); i >= 0 && done < count; i = s.indexOf(old, from)) {
      out.append(s, from, i).append(repl);
      from = i + old.length();
      done++;
    }
    return out.append(s, from, s.length()).toString();
  }

  private static String display(Object o) {
    try {
      return StringFormat.string(o);
    } catch (IllegalArgumentException e) {
      return String.valueOf(o);
    }
  }

  /** The strings extension's {@code join} (version 2): every element must be a string. */
  static String join(@Nullable CostTracker tracker, List<?> list, String separator) {
    long length = Math.max(0, list.size() - 1L) * separator.length();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new KubeFunctions.Failure("join: invalid input: " + display(o));
      }
      length += s.length();
    }
    if (tracker != null) {
      tracker.reserve(length, true);
    }
    StringBuilder out = new StringBuilder((int) Math.min(length, Integer.MAX_VALUE - 16));
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(separator);
      }
      out.append((String) list.get(i));
    }
    return out.toString();
  }

  /** cel-go's {@code lists.range} (lists extension version 3): a negative size is an empty list. */
  private static List<Long> range(@Nullable CostTracker tracker, long n) {
    if (n <= 0) {
      return List.of();
    }
    if (n > MAX_RANGE) {
      throw new KubeFunctions.Failure("lists.range: size " + n + " exceeds maximum allowed (" + MAX_RANGE + ")");
    }
    if (tracker != null) {
      tracker.reserve(n, false);
    }
    List<Long> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
