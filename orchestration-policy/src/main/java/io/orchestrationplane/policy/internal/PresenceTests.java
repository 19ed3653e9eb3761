package io.orchestrationplane.policy.internal;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code has(x.f)} as cel-go evaluates it: true when the map {@code x} has the key {@code f}; false when {@code x}
 * is null, a string, a number or any other value without fields (cel-go's presence test on such a value finds
 * nothing, {@code interpreter/attributes.go refQualify}); an error on a list. cel-java's interpreter raises
 * {@code Field selections must be performed on messages or maps} for every non-map instead, so a template reading
 * {@code has(variables.params.x)} of a Gatekeeper constraint without parameters (params null) failed where
 * Gatekeeper answers false. In a second program of the expression, each presence test is rewritten to a call of
 * {@value #FUNCTION}, bound here, with the same id (so positions and cost are those of the {@code has()}). That
 * program runs only when the plain one failed on such a selection ({@link CompiledExpression}): the call costs
 * more than cel-java's own presence test, which stays on the path every other evaluation takes.
 */
final class PresenceTests {
  static final String FUNCTION = "@presence_test";
  private static final String OVERLOAD = "k8s_presence_test_dyn_string";

  private PresenceTests() {}

  /** The runtime binding of the rewritten presence tests. */
  static CelFunctionBinding binding() {
    return CelFunctionBinding.from(OVERLOAD, Object.class, String.class, PresenceTests::test);
  }

  private static boolean test(Object operand, String field) {
    Object value = operand;
    if (value instanceof Optional<?> o) {
      if (o.isEmpty()) {
        return false;
      }
      value = o.get();
    }
    if (value instanceof Map<?, ?> m) {
      return m.containsKey(field);
    }
    if (value instanceof List<?>) {
      throw new LibraryError("unsupported index type 'string' in list");
    }
    return false;
  }

  /** Whether {@code e} has a presence test ({@code has(x.f)}) anywhere. */
  static boolean any(CelExpr e) {
    return switch (e.exprKind().getKind()) {
      case SELECT -> e.select().testOnly() || any(e.select().operand());
      case CALL -> e.call().target().map(PresenceTests::any).orElse(false)
          || e.call().args().stream().anyMatch(PresenceTests::any);
      case LIST -> e.list().elements().stream().anyMatch(PresenceTests::any);
      case MAP -> e.map().entries().stream().anyMatch(en -> any(en.key()) || any(en.value()));
      case STRUCT -> e.struct().entries().stream().anyMatch(en -> any(en.value()));
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = e.comprehension();
        yield any(c.iterRange()) || any(c.accuInit()) || any(c.loopCondition()) || any(c.loopStep())
            || any(c.result());
      }
      default -> false;
    };
  }

  /** {@code ast} with every presence test replaced by a call of {@value #FUNCTION}; the same tree when it has none. */
  static CelAbstractSyntaxTree rewrite(CelAbstractSyntaxTree ast) {
    long[] nextId = {maxId(ast.getExpr()) + 1};
    Map<Long, CelReference> references = new HashMap<>(ast.getReferenceMap());
    Map<Long, CelType> types = new HashMap<>(ast.getTypeMap());
    boolean[] changed = {false};
    CelExpr root = rewrite(ast.getExpr(), ast, nextId, references, types, changed);
    return changed[0] ? CelAbstractSyntaxTree.newCheckedAst(root, ast.getSource(), references, types) : ast;
  }

  private static CelExpr rewrite(CelExpr e, CelAbstractSyntaxTree ast, long[] nextId, Map<Long, CelReference> refs,
      Map<Long, CelType> types, boolean[] changed) {
    java.util.function.UnaryOperator<CelExpr> r = x -> rewrite(x, ast, nextId, refs, types, changed);
    return switch (e.exprKind().getKind()) {
      case SELECT -> {
        CelExpr.CelSelect s = e.select();
        CelExpr operand = r.apply(s.operand());
        if (!s.testOnly() || ast.getReference(e.id()).isPresent()) {
          yield operand == s.operand() ? e : e.toBuilder().setSelect(s.toBuilder().setOperand(operand).build()).build();
        }
        changed[0] = true;
        long fieldId = nextId[0]++;
        types.put(fieldId, SimpleType.STRING);
        refs.put(e.id(), CelReference.newBuilder().setName(FUNCTION).addOverloadIds(OVERLOAD).build());
        yield CelExpr.ofCall(e.id(), Optional.empty(), FUNCTION,
            ImmutableList.of(operand, CelExpr.ofConstant(fieldId, CelConstant.ofValue(s.field()))));
      }
      case CALL -> {
        CelExpr.CelCall c = e.call();
        CelExpr.CelCall.Builder b = c.toBuilder();
        c.target().ifPresent(t -> b.setTarget(r.apply(t)));
        for (int i = 0; i < c.args().size(); i++) {
          b.setArg(i, r.apply(c.args().get(i)));
        }
        yield e.toBuilder().setCall(b.build()).build();
      }
      case LIST -> {
        CelExpr.CelList l = e.list();
        CelExpr.CelList.Builder b = l.toBuilder();
        for (int i = 0; i < l.elements().size(); i++) {
          b.setElement(i, r.apply(l.elements().get(i)));
        }
        yield e.toBuilder().setList(b.build()).build();
      }
      case MAP -> {
        CelExpr.CelMap m = e.map();
        CelExpr.CelMap.Builder b = m.toBuilder();
        for (int i = 0; i < m.entries().size(); i++) {
          CelExpr.CelMap.Entry en = m.entries().get(i);
          b.setEntry(i, en.toBuilder().setKey(r.apply(en.key())).setValue(r.apply(en.value())).build());
        }
        yield e.toBuilder().setMap(b.build()).build();
      }
      case STRUCT -> {
        CelExpr.CelStruct st = e.struct();
        CelExpr.CelStruct.Builder b = st.toBuilder();
        for (int i = 0; i < st.entries().size(); i++) {
          CelExpr.CelStruct.Entry en = st.entries().get(i);
          b.setEntry(i, en.toBuilder().setValue(r.apply(en.value())).build());
        }
        yield e.toBuilder().setStruct(b.build()).build();
      }
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = e.comprehension();
        yield e.toBuilder().setComprehension(c.toBuilder().setIterRange(r.apply(c.iterRange()))
            .setAccuInit(r.apply(c.accuInit())).setLoopCondition(r.apply(c.loopCondition()))
            .setLoopStep(r.apply(c.loopStep())).setResult(r.apply(c.result())).build()).build();
      }
      default -> e;
    };
  }

  private static long maxId(CelExpr e) {
    long max = e.id();
    switch (e.exprKind().getKind()) {
      case SELECT -> max = Math.max(max, maxId(e.select().operand()));
      case CALL -> {
        if (e.call().target().isPresent()) {
          max = Math.max(max, maxId(e.call().target().get()));
        }
        for (CelExpr a : e.call().args()) {
          max = Math.max(max, maxId(a));
        }
      }
      case LIST -> {
        for (CelExpr x : e.list().elements()) {
          max = Math.max(max, maxId(x));
        }
      }
      case MAP -> {
        for (CelExpr.CelMap.Entry en : e.map().entries()) {
          max = Math.max(max, Math.max(en.id(), Math.max(maxId(en.key()), maxId(en.value()))));
        }
      }
      case STRUCT -> {
        for (CelExpr.CelStruct.Entry en : e.struct().entries()) {
          max = Math.max(max, Math.max(en.id(), maxId(en.value())));
        }
      }
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = e.comprehension();
        for (CelExpr x : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
          max = Math.max(max, maxId(x));
        }
      }
      default -> { }
    }
    return max;
  }
}
