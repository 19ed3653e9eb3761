package io.orchestrationplane.policy.internal;

import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.PolicyEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One compiled CEL expression: immutable and thread-safe (cel-java programs hold no per-call state). */
public final class CompiledExpression {
  private static final Pattern OFFSET = Pattern.compile("evaluation error at [^:]*:(\\d+): (.*)", Pattern.DOTALL);

  private final String text;
  private final CelSource source;
  private final CelRuntime.Program program;

  private CompiledExpression(String text, CelSource source, CelRuntime.Program program) {
    this.text = text;
    this.source = source;
    this.program = program;
  }

  /**
   * Compiles {@code text}; on failure adds every problem to {@code problems} (naming policy and field) and
   * returns null, so that one pass reports all errors of a policy.
   */
  public static CompiledExpression compile(Cel cel, String text, String policy, String field,
      List<PolicyCompileException.Problem> problems) {
    try {
      CelAbstractSyntaxTree ast = cel.compile(text).getAst();
      return new CompiledExpression(text, ast.getSource(), cel.createProgram(ast));
    } catch (CelValidationException e) {
      for (CelIssue issue : e.getErrors()) {
        CelSourceLocation loc = issue.getSourceLocation();
        problems.add(new PolicyCompileException.Problem(policy, field, Math.max(loc.getLine(), 1),
            loc.getColumn() + 1, issue.getMessage()));
      }
      return null;
    } catch (CelEvaluationException | RuntimeException e) {
      problems.add(new PolicyCompileException.Problem(policy, field, 1, 1, String.valueOf(e.getMessage())));
      return null;
    }
  }

  /** Compiles or throws {@link PolicyCompileException} listing every problem. */
  public static CompiledExpression compileOrThrow(Cel cel, String text, String policy, String field) {
    List<PolicyCompileException.Problem> problems = new ArrayList<>();
    CompiledExpression e = compile(cel, text, policy, field, problems);
    if (e == null) {
      throw new PolicyCompileException(problems);
    }
    return e;
  }

  public String text() {
    return text;
  }

  /**
   * Evaluates; every failure (CEL error, cost budget, a function's exception) becomes a
   * {@link PolicyEvaluationException} with the position CEL reported.
   *
   * @param meter counts cost against a budget; null = no budget
   */
  public Object evaluate(CelVariableResolver variables, CostMeter meter) {
    try {
      Object result = meter == null ? program.eval(variables) : program.trace(variables, meter);
      if (result instanceof dev.cel.runtime.CelUnknownSet) {
        throw new PolicyEvaluationException("expression reads an unset value", text, 0, 0, null);
      }
      return result;
    } catch (CelEvaluationException e) {
      throw translate(e);
    } catch (PolicyEvaluationException e) {
      throw e;
    } catch (RuntimeException e) {
      CostMeter.Exceeded exceeded = findCause(e, CostMeter.Exceeded.class);
      if (exceeded != null) {
        throw new PolicyEvaluationException(exceeded.getMessage(), text, 0, 0, exceeded);
      }
      throw new PolicyEvaluationException(String.valueOf(e.getMessage()), text, 0, 0, e);
    }
  }

  private PolicyEvaluationException translate(CelEvaluationException e) {
    CostMeter.Exceeded exceeded = findCause(e, CostMeter.Exceeded.class);
    if (exceeded != null) {
      return new PolicyEvaluationException(exceeded.getMessage(), text, 0, 0, e);
    }
    PolicyEvaluationException nested = findCause(e, PolicyEvaluationException.class);
    String message = String.valueOf(e.getMessage());
    Matcher m = OFFSET.matcher(message);
    if (m.matches()) {
      int offset = Integer.parseInt(m.group(1));
      String detail = m.group(2);
      if (nested != null) {
        detail = nested.getMessage();
      }
      LibraryError library = findCause(e, LibraryError.class);
      if (library != null) {
        detail = library.getMessage();
      }
      Optional<CelSourceLocation> loc = source.getOffsetLocation(offset);
      if (loc.isPresent()) {
        return new PolicyEvaluationException(detail, text, loc.get().getLine(), loc.get().getColumn() + 1, e);
      }
      return new PolicyEvaluationException(detail, text, 0, 0, e);
    }
    return new PolicyEvaluationException(message, text, 0, 0, e);
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
