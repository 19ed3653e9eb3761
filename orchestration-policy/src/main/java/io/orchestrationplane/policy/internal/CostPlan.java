package io.orchestrationplane.policy.internal;

import com.google.protobuf.ByteString;
import dev.cel.common.ast.CelExpr;
import io.orchestrationplane.policy.Cidr;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How much each sub-expression of one compiled expression costs when evaluated, after cel-go's runtime cost tracker
 * ({@code interpreter/runtimecost.go}) with Kubernetes' library estimator ({@code apiserver/pkg/cel/library/cost.go}):
 * identifiers, field selections and index operations 1, constants 0, {@code &&}, {@code ||} and {@code ?:} 0 (their
 * operands are charged), {@code has()} 0, list literals 10, map literals 30, function calls 1 unless their cost
 * depends on the size of their arguments (string comparison and concatenation, {@code matches}, {@code contains},
 * {@code in}, Kubernetes' list, regex, URL, IP, CIDR, quantity and format functions, the strings extension's
 * {@code replace}, {@code split}, {@code join}..., the sets extension: the product of the two lists' sizes), where it
 * is proportional to that size as in Kubernetes. Computed
 * once per compiled expression; immutable.
 */
final class CostPlan {
  private static final byte ZERO = 0;
  private static final byte ONE = 1;
  private static final byte LIST = 2;
  private static final byte MAP = 3;
  private static final byte STRUCT = 4;
  private static final byte SIZED = 5;
  private static final byte CALL_ONE = 6;

  private static final double TRAVERSAL = 0.1;
  private static final double REGEX_LENGTH = 0.25;

  private static final Set<String> ZERO_COST_CALLS = Set.of("_&&_", "_||_", "_?_:_", PresenceTests.FUNCTION);
  private static final Set<String> SIZED_CALLS = Set.of("_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "_+_", "@in",
      "matches", "contains", "startsWith", "endsWith", "string", "bytes", "check", "isSorted", "sum", "max", "min",
      "indexOf", "lastIndexOf", "url", "lowerAscii", "upperAscii", "substring", "trim", "replace", "split", "join",
      "find", "findAll", "cidr", "isIP", "isCIDR", "ip", "ip.isCanonical", "containsIP", "containsCIDR", "quantity",
      "isQuantity", "validate", "semver", "isSemver", "slice", "flatten", "sort", "reverse", "distinct", "lists.range",
      "@sortByAssociatedKeys", "sets.contains", "sets.intersects", "sets.equivalent", "strings.quote", "format");

  private final byte[] kinds;
  private final String[] functions;
  private final int[][] args;
  private final int[] slots;
  private final int slotCount;

  private CostPlan(byte[] kinds, String[] functions, int[][] args, int[] slots, int slotCount) {
    this.kinds = kinds;
    this.functions = functions;
    this.args = args;
    this.slots = slots;
    this.slotCount = slotCount;
  }

  static CostPlan of(CelExpr root) {
    int[] max = {0};
    visit(root, e -> max[0] = Math.max(max[0], (int) e.id()));
    int n = max[0] + 1;
    byte[] kinds = new byte[n];
    String[] functions = new String[n];
    int[][] args = new int[n][];
    int[] slots = new int[n];
    Arrays.fill(slots, -1);
    Map<Integer, Integer> slotOf = new HashMap<>();
    visit(root, e -> {
      int id = (int) e.id();
      kinds[id] = switch (e.exprKind().getKind()) {
        case CONSTANT, COMPREHENSION -> ZERO;
        case IDENT -> ONE;
        case SELECT -> e.select().testOnly() ? ZERO : ONE;
        case LIST -> LIST;
        case MAP -> MAP;
        case STRUCT -> STRUCT;
        case CALL -> {
          String f = e.call().function();
          if (ZERO_COST_CALLS.contains(f)) {
            yield ZERO;
          }
          if (!SIZED_CALLS.contains(f)) {
            yield CALL_ONE;
          }
          List<CelExpr> operands = new java.util.ArrayList<>();
          e.call().target().ifPresent(operands::add);
          operands.addAll(e.call().args());
          int[] ids = new int[operands.size()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) operands.get(i).id();
            slotOf.putIfAbsent(ids[i], slotOf.size());
          }
          functions[id] = f;
          args[id] = ids;
          yield SIZED;
        }
        default -> ONE;
      };
    });
    slotOf.forEach((id, slot) -> slots[id] = slot);
    // the operand ids of sized calls are rewritten to slots
    for (int i = 0; i < n; i++) {
      if (args[i] != null) {
        for (int j = 0; j < args[i].length; j++) {
          args[i][j] = slots[args[i][j]];
        }
      }
    }
    return new CostPlan(kinds, functions, args, slots, slotOf.size());
  }

  private static void visit(CelExpr e, java.util.function.Consumer<CelExpr> f) {
    f.accept(e);
    switch (e.exprKind().getKind()) {
      case SELECT -> visit(e.select().operand(), f);
      case CALL -> {
        e.call().target().ifPresent(t -> visit(t, f));
        e.call().args().forEach(a -> visit(a, f));
      }
      case LIST -> e.list().elements().forEach(x -> visit(x, f));
      case STRUCT -> e.struct().entries().forEach(x -> visit(x.value(), f));
      case MAP -> e.map().entries().forEach(x -> {
        visit(x.key(), f);
        visit(x.value(), f);
      });
      case COMPREHENSION -> {
        visit(e.comprehension().iterRange(), f);
        visit(e.comprehension().accuInit(), f);
        visit(e.comprehension().loopCondition(), f);
        visit(e.comprehension().loopStep(), f);
        visit(e.comprehension().result(), f);
      }
      default -> { }
    }
  }

  int slots() {
    return slotCount;
  }

  int slot(int id) {
    return id < slots.length ? slots[id] : -1;
  }

  boolean isCall(int id) {
    return id < kinds.length && (kinds[id] == SIZED || kinds[id] == CALL_ONE);
  }

  /** The cost of evaluating expression {@code id} to {@code result}, operands read from {@code values}. */
  long cost(int id, Object @Nullable [] values, Object result) {
    if (id >= kinds.length) {
      return 1;
    }
    return switch (kinds[id]) {
      case ZERO -> 0;
      case LIST -> 10;
      case MAP -> 30;
      case STRUCT -> 40;
      case SIZED -> sized(functions[id], args[id], values, result);
      default -> 1;
    };
  }

  private static long sized(String f, int[] slots, Object @Nullable [] values, Object result) {
    Object a = slots.length > 0 ? values[slots[0]] : null;
    Object b = slots.length > 1 ? values[slots[1]] : null;
    return switch (f) {
      // Values of the Kubernetes libraries (quantities, IPs...) have size 1, like scalars: cost 1.
      case "_==_", "_!=_" -> a instanceof String x && b instanceof String y ? stringMin(x, y)
          : traversal(Math.min(size(a), size(b)));
      case "_<_", "_<=_", "_>_", "_>=_" -> isText(a) && isText(b) ? traversal(Math.min(size(a), size(b))) : 1;
      case "_+_" -> isText(a) && isText(b) ? traversal(size(a) + size(b)) : 1;
      case "@in" -> b instanceof List<?> l ? l.size() : 1;
      case "matches", "find", "findAll" -> ceil((1.0 + size(a)) * TRAVERSAL) * ceil(size(b) * REGEX_LENGTH);
      case "contains" -> traversal(size(a)) * traversal(size(b));
      // cel-go's runtime cost: a traversal of the receiver, without the call's unit ("format" of a string only)
      case "startsWith", "endsWith", "strings.quote" -> traversal(size(a));
      case "format" -> a instanceof String ? traversal(size(a)) : 1;
      case "string" -> a instanceof ByteString ? traversal(size(a)) : 1;
      case "bytes" -> a instanceof String ? traversal(size(a)) : 1;
      case "check" -> 350_000;
      case "isSorted", "sum", "max", "min", "indexOf", "lastIndexOf" -> traversalCost(a);
      case "url", "lowerAscii", "upperAscii", "substring", "trim", "cidr", "isIP", "isCIDR", "quantity",
          "isQuantity", "semver", "isSemver" -> slots.length == 0 ? 1 : traversal(size(a));
      case "replace", "split" -> ceil(size(a) * 2 * TRAVERSAL);
      case "join" -> ceil(size(result) * 2 * TRAVERSAL);
      case "ip" -> a instanceof Cidr ? 1 : traversal(size(a));
      case "ip.isCanonical" -> ceil(size(a) * 2 * TRAVERSAL);
      case "containsIP" -> traversal(2 * size(a)) + (b instanceof String ? traversal(size(b)) : 0);
      case "containsCIDR" -> traversal(2 * size(a)) + traversal(size(a)) + 1
          + (b instanceof String ? traversal(size(b)) : 0);
      case "validate" -> a instanceof NamedFormat nf
          ? ceil((1.0 + size(b)) * TRAVERSAL) * ceil(nf.maxRegexSize() * REGEX_LENGTH) : 1;
      // the sets extension compares every element of one list with every element of the other (cel-go ext/sets.go)
      case "sets.contains", "sets.intersects" -> 1 + size(a) * size(b);
      case "sets.equivalent" -> 1 + 2 * size(a) * size(b);
      // the lists extension, version 3 (Kubernetes 1.34): cel-go's cost trackers charge the call and the new list
      // (1 + 10) plus the result's size, the input's size times the depth for flatten, and twice the square of the
      // list's size (2.1 times for strings and bytes) for distinct, sort and the keys of sortBy
      case "slice", "reverse", "lists.range" -> 11 + size(result);
      case "flatten" -> 11 + (long) (size(a) * (b instanceof Long depth ? (double) depth : 1.0));
      case "distinct", "sort" -> 11 + selfCompare(a);
      case "@sortByAssociatedKeys" -> 11 + selfCompare(b);
      default -> 1;
    };
  }

  /** cel-go's {@code trackListSelfCompare}: the square of the list's size, times 2 (2.1 for strings and bytes). */
  private static long selfCompare(@Nullable Object list) {
    long n = size(list);
    double factor = list instanceof List<?> l && !l.isEmpty() && isText(l.get(0)) ? 2.1 : 2.0;
    return (long) ((double) (n * n) * factor);
  }

  /** {@code ceil(min(size)/10)} of two strings without counting code points when both are short. */
  private static long stringMin(String x, String y) {
    int n = Math.min(x.length(), y.length());
    if (n == 0) {
      return 0;
    }
    if (n <= 10) {
      return 1;
    }
    return traversal(Math.min(size(x), size(y)));
  }

  private static boolean isText(@Nullable Object o) {
    return o instanceof String || o instanceof ByteString || o instanceof dev.cel.common.values.CelByteString;
  }

  private static long ceil(double d) {
    return (long) Math.ceil(d);
  }

  private static long traversal(long size) {
    return ceil(size * TRAVERSAL);
  }

  /** cel-go's {@code actualSize}: code points of a string, length of bytes, lists and maps; 1 otherwise. */
  static long size(@Nullable Object o) {
    if (o instanceof String s) {
      return s.codePointCount(0, s.length());
    }
    if (o instanceof ByteString b) {
      return b.size();
    }
    if (o instanceof dev.cel.common.values.CelByteString b) {
      return b.size();
    }
    if (o instanceof List<?> l) {
      return l.size();
    }
    if (o instanceof Map<?, ?> m) {
      return m.size();
    }
    return 1;
  }

  /** Kubernetes' {@code traversalCost}: a tenth of each string's UTF-8 length (rounded down), 1 per scalar. */
  static long traversalCost(@Nullable Object o) {
    if (o instanceof String s) {
      return (long) (utf8Length(s) * TRAVERSAL);
    }
    if (o instanceof ByteString b) {
      return (long) (b.size() * TRAVERSAL);
    }
    if (o instanceof List<?> l) {
      long c = 0;
      for (Object x : l) {
        c += traversalCost(x);
      }
      return c;
    }
    if (o instanceof Map<?, ?> m) {
      long c = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        c += traversalCost(e.getKey()) + traversalCost(e.getValue());
      }
      return c;
    }
    return 1;
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
