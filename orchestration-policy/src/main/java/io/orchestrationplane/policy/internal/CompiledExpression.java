package io.orchestrationplane.policy.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.PolicyEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * One compiled CEL expression: immutable and thread-safe (cel-java programs hold no per-call state). Compiled as
 * the API server compiles policy expressions: type check, literal validators (regular expressions always,
 * duration and timestamp literals from 1.29), constant regular expressions of {@code find}/{@code findAll}, and the
 * type the field must evaluate to.
 */
public final class CompiledExpression {
  private static final java.util.regex.Pattern OFFSET =
      java.util.regex.Pattern.compile("evaluation error at [^:]*:(\\d+): (.*)", java.util.regex.Pattern.DOTALL);
  /** The strings extension's charAt, indexOf and lastIndexOf out of range, as cel-java words them. */
  private static final java.util.regex.Pattern STRINGS_RANGE = java.util.regex.Pattern.compile(
      "(?:evaluation error: )?(?:charAt|indexOf|lastIndexOf) failure: (?:Index|Offset) out of range: (-?\\d+)");
  private static final java.util.regex.Pattern FUNCTION_FAILED = java.util.regex.Pattern.compile(
      "Function '([^']+)' failed with arg\\(s\\) '(.*)'", java.util.regex.Pattern.DOTALL);
  private static final java.util.regex.Pattern SLICE_ARGS =
      java.util.regex.Pattern.compile(", (-?\\d+), (-?\\d+)$");
  private static final java.util.regex.Pattern INSERT_FAILED =
      java.util.regex.Pattern.compile("insert failed: key '(.*)' already exists", java.util.regex.Pattern.DOTALL);
  private static final java.util.regex.Pattern CONVERSION =
      java.util.regex.Pattern.compile("(?<![A-Za-z0-9_.])([a-z]+)\\s*$");
  private static final java.util.regex.Pattern MISSING_KEY =
      java.util.regex.Pattern.compile("key '(.*)' is not present in map\\.", java.util.regex.Pattern.DOTALL);
  /** cel-java's field selection on a value that is not a map (null, a string, a number). */
  private static final java.util.regex.Pattern SELECT_ON_NON_MAP = java.util.regex.Pattern.compile(
      "Error resolving field '(.*)'\\. Field selections must be performed on messages or maps\\.",
      java.util.regex.Pattern.DOTALL);

  /** What a field's expression must evaluate to, as the API server requires of each policy field. */
  public enum Returns {
    /** validations, matchConditions. */
    BOOL,
    /** messageExpression. */
    STRING,
    /** auditAnnotations' valueExpression. */
    STRING_OR_NULL,
    /** variables, standalone expressions. */
    ANY
  }

  private final String text;
  private final CelSource source;
  private final CelRuntime.Program program;
  private final CostPlan plan;
  private final CelType resultType;
  /** The runtime and checked tree (which the program holds anyway), for {@link #presenceSafe()}; null without has(). */
  private final @Nullable CelRuntime runtime;
  private final @Nullable CelAbstractSyntaxTree ast;
  /** The program with cel-go's presence tests ({@link PresenceTests}), built on first need. */
  private volatile @Nullable PresenceSafe presenceSafe;

  private record PresenceSafe(CelRuntime.Program program, CostPlan plan) {}

  private CompiledExpression(String text, CelSource source, CelRuntime.Program program, CostPlan plan,
      CelType resultType, @Nullable CelRuntime runtime, @Nullable CelAbstractSyntaxTree ast) {
    this.text = text;
    this.source = source;
    this.program = program;
    this.plan = plan;
    this.resultType = resultType;
    this.runtime = runtime;
    this.ast = ast;
  }

  /**
   * Compiles {@code text}; on failure adds every problem to {@code problems} (naming policy and field) and
   * returns null, so that one pass reports all errors of a policy.
   */
  public static @Nullable CompiledExpression compile(CelEnv env, String text, Returns returns, String policy, String field,
      List<PolicyCompileException.Problem> problems) {
    try {
      CelAbstractSyntaxTree ast = env.cel().compile(text).getAst();
      CelValidationResult validated = env.validator().validate(ast);
      if (validated.hasError()) {
        addIssues(validated.getAllIssues(), policy, field, problems);
        return null;
      }
      List<PolicyCompileException.Problem> literalProblems = new ArrayList<>();
      checkLiterals(env, ast, ast.getExpr(), policy, field, literalProblems);
      if (!literalProblems.isEmpty()) {
        problems.addAll(literalProblems);
        return null;
      }
      CelType type = ast.getResultType();
      String mismatch = returnMismatch(type, returns);
      if (mismatch != null) {
        problems.add(new PolicyCompileException.Problem(policy, field, 1, 1, mismatch));
        return null;
      }
      boolean presenceTests = PresenceTests.any(ast.getExpr());
      return new CompiledExpression(text, ast.getSource(), env.cel().createProgram(ast), CostPlan.of(ast.getExpr()),
          type, presenceTests ? env.cel() : null, presenceTests ? ast : null);
    } catch (CelValidationException e) {
      addIssues(e.getErrors(), policy, field, problems);
      return null;
    } catch (CelEvaluationException | RuntimeException e) {
      problems.add(new PolicyCompileException.Problem(policy, field, 1, 1, String.valueOf(e.getMessage())));
      return null;
    } catch (StackOverflowError e) {
      problems.add(new PolicyCompileException.Problem(policy, field, 1, 1, "expression is nested too deeply"));
      return null;
    }
  }

  private static void addIssues(List<CelIssue> issues, String policy, String field,
      List<PolicyCompileException.Problem> problems) {
    for (CelIssue issue : issues) {
      CelSourceLocation loc = issue.getSourceLocation();
      problems.add(new PolicyCompileException.Problem(policy, field, Math.max(loc.getLine(), 1),
          loc.getColumn() + 1, celGoIssue(issue.getMessage())));
    }
  }

  /**
   * cel-java's checker texts as cel-go words them: no list of candidate overloads after a failed resolution; the
   * two-variable comprehensions' {@code duplicate variable name: i} and {@code iteration variable overwrites
   * accumulator variable} (ext/comprehensions.go).
   */
  private static String celGoIssue(String message) {
    int candidates = message.indexOf(" (candidates: ");
    if (candidates > 0 && message.startsWith("found no matching overload")) {
      return message.substring(0, candidates);
    }
    Matcher overlapping = OVERLAPPING_DECLARATION.matcher(message);
    if (overlapping.matches()) {
      // within one expression only a comprehension's two iteration variables can share a scope
      return "duplicate variable name: " + overlapping.group(1);
    }
    if (ACCUMULATOR_OVERWRITTEN.matcher(message).matches()) {
      return "iteration variable overwrites accumulator variable";
    }
    return message;
  }

  private static final java.util.regex.Pattern OVERLAPPING_DECLARATION =
      java.util.regex.Pattern.compile("overlapping declaration name '([^']*)' \\(.*\\)",
          java.util.regex.Pattern.DOTALL);
  private static final java.util.regex.Pattern ACCUMULATOR_OVERWRITTEN =
      java.util.regex.Pattern.compile("The iteration variable \\S+ overwrites accumulator variable");

  /** Kubernetes' {@code must evaluate to bool} check: the checked type must be exactly the field's type. */
  private static @Nullable String returnMismatch(CelType type, Returns returns) {
    return switch (returns) {
      case ANY -> null;
      case BOOL -> type.equals(SimpleType.BOOL) ? null : "must evaluate to bool";
      case STRING -> type.equals(SimpleType.STRING) ? null : "must evaluate to string";
      case STRING_OR_NULL -> type.equals(SimpleType.STRING) || type.kind() == CelKind.NULL_TYPE ? null
          : "must evaluate to one of [string null_type]";
    };
  }

  /**
   * Constant arguments the API server rejects before any request: regular expressions of {@code matches}
   * ({@code invalid matches argument} from 1.29, when the literal validators came; before, as the program fails to
   * instantiate), {@code find} and {@code findAll} (program instantiation), and from 1.29 duration and timestamp
   * literals.
   */
  private static void checkLiterals(CelEnv env, CelAbstractSyntaxTree ast, CelExpr e, String policy, String field,
      List<PolicyCompileException.Problem> problems) {
    switch (e.exprKind().getKind()) {
      case CALL -> {
        var call = e.call();
        String f = call.function();
        List<CelExpr> operands = new ArrayList<>();
        call.target().ifPresent(operands::add);
        operands.addAll(call.args());
        boolean validators = env.environment().at(29);
        if ((f.equals("matches") || f.equals("find") || f.equals("findAll")) && operands.size() >= 2
            && isStringConstant(operands.get(1))) {
          CelExpr literal = operands.get(1);
          try {
            Pattern.compile(literal.constant().stringValue());
          } catch (PatternSyntaxException ex) {
            problems.add(problem(ast, literal, policy, field, f.equals("matches") && validators
                ? "invalid matches argument"
                : "program instantiation failed: " + GoText.regexpError(ex, literal.constant().stringValue())));
          }
        }
        if (validators && (f.equals("duration") || f.equals("timestamp")) && operands.size() == 1
            && isStringConstant(operands.get(0))) {
          CelExpr literal = operands.get(0);
          try {
            var check = env.cel().compile(f + "(" + celString(literal.constant().stringValue()) + ")").getAst();
            env.cel().createProgram(check).eval();
          } catch (CelValidationException | CelEvaluationException | RuntimeException ex) {
            problems.add(problem(ast, literal, policy, field, "invalid " + f + " argument"));
          }
        }
        operands.forEach(o -> checkLiterals(env, ast, o, policy, field, problems));
      }
      case SELECT -> checkLiterals(env, ast, e.select().operand(), policy, field, problems);
      case LIST -> e.list().elements().forEach(x -> checkLiterals(env, ast, x, policy, field, problems));
      case MAP -> e.map().entries().forEach(x -> {
        checkLiterals(env, ast, x.key(), policy, field, problems);
        checkLiterals(env, ast, x.value(), policy, field, problems);
      });
      case STRUCT -> e.struct().entries().forEach(x -> checkLiterals(env, ast, x.value(), policy, field, problems));
      case COMPREHENSION -> {
        var c = e.comprehension();
        for (CelExpr x : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
          checkLiterals(env, ast, x, policy, field, problems);
        }
      }
      default -> { }
    }
  }

  private static boolean isStringConstant(CelExpr e) {
    return e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && e.constant().getKind() == dev.cel.common.ast.CelConstant.Kind.STRING_VALUE;
  }

  private static String celString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r") + "'";
  }

  private static PolicyCompileException.Problem problem(CelAbstractSyntaxTree ast, CelExpr at, String policy,
      String field, String message) {
    Optional<CelSourceLocation> loc = ast.getSource().getOffsetLocation(
        ast.getSource().getPositionsMap().getOrDefault(at.id(), 0));
    return new PolicyCompileException.Problem(policy, field, loc.map(CelSourceLocation::getLine).orElse(1),
        loc.map(l -> l.getColumn() + 1).orElse(1), message);
  }

  /** Compiles or throws {@link PolicyCompileException} listing every problem. */
  public static CompiledExpression compileOrThrow(CelEnv env, String text, String policy, String field) {
    List<PolicyCompileException.Problem> problems = new ArrayList<>();
    CompiledExpression e = compile(env, text, Returns.ANY, policy, field, problems);
    if (e == null) {
      throw new PolicyCompileException(problems);
    }
    return e;
  }

  public String text() {
    return text;
  }

  /** The type the checker gave the expression. */
  public CelType resultType() {
    return resultType;
  }

  /**
   * Evaluates; every failure (CEL error, cost limit, a function's exception, a stack overflow or out-of-memory
   * error in this evaluation) becomes a {@link PolicyEvaluationException} whose message is what the API server
   * would report, with the position of the failing sub-expression beside it.
   *
   * @param meter counts cost against the binding's budget and the per-expression limit; null = no limit
   */
  public Object evaluate(CelVariableResolver variables, @Nullable CostMeter meter) {
    Object result = run(program, plan, variables, meter, runtime != null);
    if (result != RETRY) {
      return result;
    }
    // A has() met a value without fields, where cel-java fails and cel-go answers false: evaluate again with
    // cel-go's presence tests. The failed attempt's cost is not charged; variables it read keep their values.
    PresenceSafe safe = presenceSafe();
    return run(safe.program(), safe.plan(), variables, meter, false);
  }

  /** Returned by {@link #run} when the evaluation must be repeated with {@link #presenceSafe()}. */
  private static final Object RETRY = new Object();

  private PresenceSafe presenceSafe() {
    PresenceSafe safe = presenceSafe;
    if (safe == null) {
      CelAbstractSyntaxTree rewritten = PresenceTests.rewrite(ast);
      try {
        safe = new PresenceSafe(runtime.createProgram(rewritten), CostPlan.of(rewritten.getExpr()));
      } catch (CelEvaluationException e) {
        throw new IllegalStateException("cannot build the presence-safe program of " + text, e);
      }
      presenceSafe = safe;
    }
    return safe;
  }

  private Object run(CelRuntime.Program program, CostPlan plan, CelVariableResolver variables,
      @Nullable CostMeter meter, boolean mayRetry) {
    CostTracker tracker = meter == null ? null : new CostTracker(meter, plan);
    boolean settle = true;
    try {
      Object result = tracker == null ? program.eval(variables, MeteredFunctions.UNMETERED)
          : program.trace(variables, tracker, tracker);
      if (result instanceof dev.cel.runtime.CelUnknownSet) {
        throw new PolicyEvaluationException("expression reads an unset value", text, 0, 0, null);
      }
      return result;
    } catch (CelEvaluationException e) {
      if (mayRetry && SELECT_ON_NON_MAP.matcher(String.valueOf(e.getMessage())).find()
          && findCause(e, CostMeter.Exceeded.class) == null) {
        settle = false;
        return RETRY;
      }
      throw translate(e);
    } catch (PolicyEvaluationException e) {
      throw e;
    } catch (RuntimeException e) {
      CostMeter.Exceeded exceeded = findCause(e, CostMeter.Exceeded.class);
      if (exceeded != null) {
        throw new PolicyEvaluationException(exceeded.getMessage(), text, 0, 0, exceeded);
      }
      throw new PolicyEvaluationException(String.valueOf(e.getMessage()), text, 0, 0, e);
    } catch (StackOverflowError e) {
      // Only this evaluation's frames are unwound; the thread and the engine carry on.
      throw new PolicyEvaluationException("evaluation exceeded the maximum nesting depth", text, 0, 0, null);
    } catch (OutOfMemoryError e) {
      // Caught only around one evaluation, whose allocations are unreachable once it is abandoned.
      throw new PolicyEvaluationException("evaluation ran out of memory", text, 0, 0, null);
    } finally {
      if (tracker != null && settle) {
        tracker.settle();
      }
    }
  }

  private PolicyEvaluationException translate(CelEvaluationException e) {
    CostMeter.Exceeded exceeded = findCause(e, CostMeter.Exceeded.class);
    if (exceeded != null) {
      return new PolicyEvaluationException(exceeded.getMessage(), text, 0, 0, exceeded);
    }
    PolicyEvaluationException nested = findCause(e, PolicyEvaluationException.class);
    String message = String.valueOf(e.getMessage());
    Matcher m = OFFSET.matcher(message);
    if (m.matches()) {
      int offset = Integer.parseInt(m.group(1));
      String detail = nested != null ? nested.getMessage() : celGoWording(m.group(2), e.getErrorCode());
      if (detail.equals("division by zero") && offset < text.codePointCount(0, text.length())
          && text.codePointAt(text.offsetByCodePoints(0, offset)) == '%') {
        detail = "modulus by zero";
      }
      String conversion = conversionTarget(e, offset);
      if (conversion != null) {
        detail = "type conversion error from 'string' to '" + conversion + "'";
      }
      String extension = extensionFailure(m.group(2), e.getCause());
      if (extension != null) {
        detail = extension;
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
    return new PolicyEvaluationException(celGoWording(message, e.getErrorCode()), text, 0, 0, e);
  }

  /** cel-java's runtime error texts reworded as cel-go (hence the API server) words them. */
  static String celGoWording(String message, CelErrorCode code) {
    Matcher key = MISSING_KEY.matcher(message);
    if (key.matches()) {
      return "no such key: " + key.group(1);
    }
    // cel-go finds no field on such a value: variables.params.labels of a constraint without parameters
    // (params null) is "no such key: labels" (a list would be "unsupported index type", not told apart here)
    Matcher select = SELECT_ON_NON_MAP.matcher(message);
    if (select.matches()) {
      return "no such key: " + select.group(1);
    }
    if (code == CelErrorCode.ATTRIBUTE_NOT_FOUND && !message.startsWith("No such attribute")
        && !message.startsWith("Error resolving field")) {
      // a map index with a missing key: cel-java's message is the key itself
      return "no such key: " + message;
    }
    if (message.startsWith("No matching overload for function")) {
      return "no such overload";
    }
    if (code == CelErrorCode.DIVIDE_BY_ZERO || message.equals("/ by zero")) {
      return "division by zero";
    }
    if (code == CelErrorCode.NUMERIC_OVERFLOW) {
      return message.contains("unsigned") || message.contains("uint") ? "unsigned integer overflow"
          : "integer overflow";
    }
    Matcher range = STRINGS_RANGE.matcher(message);
    if (range.matches()) {
      return "index out of range: " + range.group(1);
    }
    if (message.startsWith("Function 'optional_value' failed")) {
      return "optional.none() dereference";
    }
    if (message.startsWith("Unknown time-zone ID: ")) {
      // Go's time.LoadLocation, which cel-go calls for getHours('Europe/Paris') and the like
      return "unknown time zone " + message.substring("Unknown time-zone ID: ".length());
    }
    if (message.startsWith("Iteration budget exceeded")) {
      return "iteration budget exceeded";
    }
    return message;
  }

  /**
   * The type a failed conversion of a string aimed at ({@code int}, {@code uint}, {@code google.protobuf.Duration},
   * ...), read from the function name before the call's position; null when the error is not cel-java's failure to
   * parse a string.
   */
  private @Nullable String conversionTarget(CelEvaluationException e, int offset) {
    if (e.getErrorCode() != CelErrorCode.BAD_FORMAT
        || !(e.getCause() instanceof dev.cel.common.exceptions.CelBadFormatException)
        || offset > text.codePointCount(0, text.length())) {
      return null;
    }
    Matcher name = CONVERSION.matcher(text.substring(0, text.offsetByCodePoints(0, offset)));
    if (!name.find()) {
      return null;
    }
    return switch (name.group(1)) {
      case "int", "uint", "double", "bool" -> name.group(1);
      case "duration" -> "google.protobuf.Duration";
      case "timestamp" -> "google.protobuf.Timestamp";
      default -> null;
    };
  }

  /**
   * A cel-java extension's failure ({@code Function 'list_slice' failed with arg(s) ...}) worded as the cel-go
   * extension words it: {@code cannot slice(2, 1), start index must be less than or equal to end index},
   * {@code level must be non-negative}, {@code list elements must be comparable},
   * {@code insert failed: key 1 already exists}, {@code math.@max(list) argument must not be empty}. Null when the
   * message is not such a failure.
   */
  private static @Nullable String extensionFailure(String message, @Nullable Throwable cause) {
    Matcher f = FUNCTION_FAILED.matcher(message);
    if (!f.matches() || !(cause instanceof IllegalArgumentException || cause instanceof IllegalStateException)
        || cause.getMessage() == null || cause.getMessage().isEmpty()) {
      return null;
    }
    String detail = Character.toLowerCase(cause.getMessage().charAt(0)) + cause.getMessage().substring(1);
    if (f.group(1).equals("list_slice")) {
      Matcher range = SLICE_ARGS.matcher(f.group(2));
      if (range.find()) {
        detail = "cannot slice(" + range.group(1) + ", " + range.group(2) + "), " + detail;
      }
    }
    // the math extension's bit shifts: cel-go writes "negative offset: -2"
    detail = detail.replaceFirst("^(math\\.bitShift(?:Left|Right)\\(\\) negative offset:)(?=-)", "$1 ");
    Matcher insert = INSERT_FAILED.matcher(detail);
    return insert.matches() ? "insert failed: key " + insert.group(1) + " already exists" : detail;
  }

  private static <T extends Throwable> @Nullable T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
