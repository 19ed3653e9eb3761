package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.admit.AdmissionDeniedException;
import io.orchestrationplane.core.admit.Denial;
import io.orchestrationplane.core.apply.PlanMismatchException;
import io.orchestrationplane.core.apply.StalePlanException;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.SourceMap;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.release.RevisionNotFoundException;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.policy.PolicyCompileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Turns what went wrong into an exit code and findings with file, line and field. */
final class Failures {
  /** Rule ids of the tool's own checks start with this; policy rules are the policies' names. */
  static final String TOOL_RULE_PREFIX = "orchestrate/";
  static final String INVALID_APPLICATION = TOOL_RULE_PREFIX + "invalid-application";
  static final String INVALID_POLICY = TOOL_RULE_PREFIX + "invalid-policy";
  static final String POLICY_TEST = TOOL_RULE_PREFIX + "policy-test";

  private Failures() {}

  /** A diagnosed failure: exit code, one-line message, findings. */
  record Failure(ExitCode exitCode, String message, List<Finding> findings) {}

  static Failure of(Throwable e, @Nullable AppFile app, List<AppFile.PolicyFile> policies) {
    if (e instanceof CliException c) {
      return new Failure(c.exitCode(), c.getMessage(), c.findings());
    }
    if (e instanceof AppFile.FileValidationException f) {
      return invalid(f.validation(), f.path(), null);
    }
    if (e instanceof ValidationException v) {
      return invalid(v, app == null ? null : app.path(), app == null ? null : app.source());
    }
    if (e instanceof AdmissionDeniedException d) {
      return new Failure(ExitCode.DENIED, "denied by admission policy (" + d.violations().size()
          + (d.violations().size() == 1 ? " violation" : " violations") + "); nothing was written", denials(d, app));
    }
    if (e instanceof AppFile.PolicyFileException f) {
      return compile(f.compile(), List.of(f.file()));
    }
    if (e instanceof PolicyCompileException p) {
      return compile(p, policies);
    }
    if (e instanceof RevisionNotFoundException r) {
      return new Failure(ExitCode.INVALID_INPUT, r.getMessage() + " (revisions are kept across runs only with --state DIR)",
          List.of());
    }
    if (e instanceof ClusterException c && unreachable(c)) {
      return new Failure(ExitCode.UNREACHABLE, "cluster " + c.cluster() + " is unreachable: " + c.getMessage(), List.of());
    }
    if (e instanceof PlanMismatchException || e instanceof StalePlanException) {
      return new Failure(ExitCode.FAILURE, e.getMessage(), List.of());
    }
    if (e instanceof StateStoreException s) {
      return new Failure(ExitCode.FAILURE, "state store: " + s.getMessage(), List.of());
    }
    return new Failure(ExitCode.FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
  }

  /**
   * A policy that does not compile: each problem at the line of its field in the policy's file (the
   * document whose {@code metadata.name} is the policy); the line and column the compiler gives
   * are within the CEL expression and go into the message.
   */
  private static Failure compile(PolicyCompileException p, List<AppFile.PolicyFile> policies) {
    List<Finding> out = new ArrayList<>();
    for (PolicyCompileException.Problem problem : p.problems()) {
      AppFile.PolicyFile file = policyFile(problem.policy(), policies);
      int line = file == null ? 0 : file.lines().line(problem.policy(), YamlLines.pointer(problem.field()));
      out.add(new Finding(INVALID_POLICY, Finding.ERROR, problem.message() + " (expression line " + problem.line()
          + ", column " + problem.column() + ")", file == null ? null : file.path(), line, 0,
          problem.policy() + (problem.field().isEmpty() ? "" : "." + problem.field())));
    }
    return new Failure(ExitCode.INVALID_INPUT, "an admission policy does not compile", out);
  }

  static boolean unreachable(ClusterException c) {
    return c.reason() == ClusterException.Reason.UNAVAILABLE || c.reason() == ClusterException.Reason.TIMEOUT;
  }

  private static Failure invalid(ValidationException v, @Nullable Path file, @Nullable SourceMap source) {
    return new Failure(ExitCode.INVALID_INPUT, (file == null ? "the application" : Paths.display(file))
        + " is invalid (" + v.problems().size() + (v.problems().size() == 1 ? " problem)" : " problems)"),
        validation(v, file, source));
  }

  static List<Finding> validation(ValidationException v, @Nullable Path file, @Nullable SourceMap source) {
    List<Finding> out = new ArrayList<>();
    for (Problem p : v.problems()) {
      int line = p.line();
      int column = p.column();
      if (line == 0 && source != null) {
        var located = source.locate(p.path());
        if (located.isPresent()) {
          line = located.get().line();
          column = located.get().column();
        }
      }
      out.add(new Finding(INVALID_APPLICATION, Finding.ERROR, p.message(), file, line, column, p.path()));
    }
    return out;
  }

  static List<Finding> denials(AdmissionDeniedException d, @Nullable AppFile app) {
    List<Finding> out = new ArrayList<>();
    if (d.denials().isEmpty()) {
      for (String v : d.violations()) {
        out.add(new Finding(TOOL_RULE_PREFIX + "admission", Finding.ERROR, v, app == null ? null : app.path(), 0, 0, ""));
      }
      return out;
    }
    for (Denial denial : d.denials()) {
      AppFile.Position at = app == null ? AppFile.Position.NONE : app.componentPosition(denial.component());
      out.add(new Finding(denial.policy(), Finding.ERROR, denial.message(), app == null ? null : app.path(), at.line(),
          at.column(), where(denial.key().display(), denial.key().cluster(), denial.component())));
    }
    return out;
  }

  /** Warn, Audit and Error notices of an admitted plan, as warnings (Audit as notes). */
  static List<Finding> notices(List<PolicyNotice> notices, @Nullable AppFile app, java.util.function.Function<PolicyNotice, @Nullable String> component) {
    List<Finding> out = new ArrayList<>();
    for (PolicyNotice n : notices) {
      if (n.action().equals("Mutate")) {
        continue;
      }
      String c = component.apply(n);
      AppFile.Position at = app == null ? AppFile.Position.NONE : app.componentPosition(c);
      String level = n.action().toLowerCase(Locale.ROOT).equals("audit") ? Finding.NOTE : Finding.WARNING;
      out.add(new Finding(n.policy(), level, n.action() + ": " + n.message(), app == null ? null : app.path(), at.line(),
          at.column(), where(n.key().display(), n.key().cluster(), c)));
    }
    return out;
  }

  static boolean anyUnreachable(List<PlanProblem> problems) {
    return problems.stream().anyMatch(PlanProblem::isClusterUnreachable);
  }

  private static String where(String object, String cluster, @Nullable String component) {
    return object + " (cluster " + cluster + (component == null ? "" : ", component " + component) + ")";
  }

  private static AppFile.@Nullable PolicyFile policyFile(String policy, List<AppFile.PolicyFile> policies) {
    for (AppFile.PolicyFile f : policies) {
      if (f.names().contains(policy)) {
        return f;
      }
    }
    return policies.size() == 1 ? policies.get(0) : null;
  }
}
