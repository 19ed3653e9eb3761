package io.orchestrationplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.testkit.golden.Goldens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as CI uses it, in process on a fixed clock: every command's exit code, stdout
 * and stderr against a golden file under {@code src/test/resources/golden/} (rewrite them with
 * {@code -Dorchestration.updateGoldens=true} and review the diff). Targets the embedded in-memory
 * clusters unless a case says otherwise.
 */
class OrchestrateTest {
  static final String APPS = "src/test/resources/apps/";
  static final String GUARDRAILS = "src/test/resources/policies/guardrails.yaml";

  @TempDir
  Path tmp;

  static void golden(String name, CliRun run) {
    Goldens.assertMatches("golden/" + name + ".txt", run.golden());
  }

  @Test
  void planShowsTheChangesAndPolicyWarningsAndExitsZero() {
    CliRun run = CliRun.of("plan", APPS + "shop.yaml", "--policy", GUARDRAILS);
    assertThat(run.exit()).isEqualTo(ExitCode.SUCCESS.code());
    golden("plan-text", run);
  }

  @Test
  void planWithDetailedExitCodeExitsTwoWhenThereAreChanges() {
    CliRun run = CliRun.of("plan", APPS + "shop.yaml", "--detailed-exitcode");
    assertThat(run.exit()).isEqualTo(ExitCode.CHANGES.code());
    golden("plan-detailed-exitcode", run);
  }

  @Test
  void planAsJsonIsThePlansOwnJson() {
    CliRun run = CliRun.of("plan", APPS + "shop.yaml", "-o", "json");
    assertThat(run.exit()).isZero();
    golden("plan-json", run);
  }

  @Test
  void aPolicyDenialExitsThreeNamingFileLineComponentAndPolicy() {
    CliRun text = CliRun.of("plan", APPS + "bad-latest.yaml", "--policy", GUARDRAILS);
    assertThat(text.exit()).isEqualTo(ExitCode.DENIED.code());
    golden("plan-denied-text", text);
    CliRun sarif = CliRun.of("plan", APPS + "bad-latest.yaml", "--policy", GUARDRAILS, "--output", "sarif");
    assertThat(sarif.exit()).isEqualTo(ExitCode.DENIED.code());
    golden("plan-denied-sarif", sarif);
    CliRun json = CliRun.of("plan", APPS + "bad-latest.yaml", "--policy", GUARDRAILS, "-o", "json");
    assertThat(json.exit()).isEqualTo(ExitCode.DENIED.code());
    golden("plan-denied-json", json);
  }

  @Test
  void timeoutOrPollWithoutWaitIsInvalidInputAndAppliesNothing() {
    String state = tmp.resolve("state").toString();
    for (String option : new String[] {"--timeout", "--poll"}) {
      CliRun apply = CliRun.of("apply", APPS + "config.yaml", option, "30s", "--state", state, "--as", "ci");
      assertThat(apply.exit()).as(option).isEqualTo(ExitCode.INVALID_INPUT.code());
      assertThat(apply.err()).contains(option + " only says how --wait waits");
    }
    CliRun history = CliRun.of("history", "shop.settings", "--state", state);
    assertThat(history.out()).isEqualTo("shop.settings: 0 revisions\n");
    CliRun rollback = CliRun.of("rollback", "shop.settings", "1", "--poll", "1s", "--state", state);
    assertThat(rollback.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(CliRun.of("apply", APPS + "config.yaml", "--wait", "--timeout", "0s", "--as", "ci").err())
        .doesNotContain("only says how --wait waits");
  }

  @Test
  void aWaitLongerThanTheClockCanCountIsInvalidInputAndAppliesNothing() {
    String state = tmp.resolve("state").toString();
    for (String timeout : new String[] {"PT2562047788015215H", "P106751991167300D", "9000h"}) {
      CliRun apply = CliRun.of("apply", APPS + "config.yaml", "--wait", "--timeout", timeout, "--state", state, "--as", "ci");
      assertThat(apply.exit()).as(timeout).isEqualTo(ExitCode.INVALID_INPUT.code());
      assertThat(apply.err()).as(timeout).contains("--timeout").contains("longer than a year");
    }
    assertThat(CliRun.of("history", "shop.settings", "--state", state).out()).isEqualTo("shop.settings: 0 revisions\n");
  }

  @Test
  void aPollTooShortToBeAPauseIsInvalidInputAndAppliesNothing() {
    String state = tmp.resolve("state").toString();
    for (String poll : new String[] {"0s", "0ms", "PT0S", "99ms", "PT0.001S"}) {
      CliRun apply = CliRun.of("apply", APPS + "config.yaml", "--wait", "--poll", poll, "--state", state, "--as", "ci");
      assertThat(apply.exit()).as(poll).isEqualTo(ExitCode.INVALID_INPUT.code());
      assertThat(apply.err()).as(poll).contains("--poll").contains("at least 100ms");
    }
    assertThat(CliRun.of("history", "shop.settings", "--state", state).out()).isEqualTo("shop.settings: 0 revisions\n");
  }

  @Test
  void anApplyThatIsDeniedWritesNothingAndRecordsNoRevision() {
    String state = tmp.resolve("state").toString();
    CliRun apply = CliRun.of("apply", APPS + "bad-latest.yaml", "--policy", GUARDRAILS, "--state", state, "--as", "ci");
    assertThat(apply.exit()).isEqualTo(ExitCode.DENIED.code());
    CliRun history = CliRun.of("history", "shop.shop", "--state", state);
    assertThat(history.exit()).isZero();
    assertThat(history.out()).isEqualTo("shop.shop: 0 revisions\n");
  }

  @Test
  void aReviewedPlanIsAppliedOnlyWhilePlanningAgainGivesTheSamePlan() {
    String plan = tmp.resolve("plan.json").toString();
    assertThat(CliRun.of("plan", APPS + "shop.yaml", "--out", plan).exit()).isZero();
    CliRun same = CliRun.of("apply", APPS + "shop.yaml", "--plan", plan, "--as", "ci");
    assertThat(same.exit()).as(same.golden()).isZero();
    CliRun changed = CliRun.of("apply", APPS + "shop-v2.yaml", "--plan", plan, "--as", "ci");
    assertThat(changed.exit()).isEqualTo(ExitCode.FAILURE.code());
    Goldens.assertMatches("golden/apply-reviewed-plan-mismatch.txt", changed.golden().replace(plan, "$PLAN"));
  }

  @Test
  void aReviewedPlanOfAnotherApplicationIsInvalidInputAndWritesNothing() {
    String plan = tmp.resolve("plan.json").toString();
    String state = tmp.resolve("state").toString();
    assertThat(CliRun.of("plan", APPS + "shop.yaml", "--out", plan).exit()).isZero();
    CliRun other = CliRun.of("apply", APPS + "config.yaml", "--plan", plan, "--state", state, "-o", "json");
    assertThat(other.exit()).as(other.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(io.orchestrationplane.core.resource.Json.readJson(other.out()).path("error").asString())
        .isEqualTo(plan.replace('\\', '/') + ": the plan is for application shop.shop, not shop.settings of " + APPS + "config.yaml");
    CliRun history = CliRun.of("history", "shop.settings", "--state", state);
    assertThat(history.out()).isEqualTo("shop.settings: 0 revisions\n");
  }

  @Test
  void historyTakesNoOptionItWouldIgnore() {
    String state = tmp.resolve("state").toString();
    for (String[] extra : new String[][] {{"--policy", APPS + "shop.yaml"}, {"--kubeconfig", "kubeconfig"},
        {"--context", "prod"}, {"--cluster", "prod"}, {"--as", "alice"}, {"--kubernetes-version", "1.31"}}) {
      CliRun history = CliRun.of("history", "shop.shop", "--state", state, extra[0], extra[1]);
      assertThat(history.exit()).as(history.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
      assertThat(history.err()).as(extra[0]).contains("Unknown option").contains(extra[0]);
    }
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  /** A damaged state file is not the caller's input: exit 1, naming the file, for each command that reads revisions. */
  @Test
  void aDamagedRevisionFileFailsTheRevisionCommandsNamingIt() throws Exception {
    Path state = tmp.resolve("state");
    assertThat(CliRun.of("apply", APPS + "shop.yaml", "--state", state.toString()).exit()).isZero();
    Path revision;
    try (var files = java.nio.file.Files.list(state.resolve("revisions"))) {
      revision = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
    }
    String text = java.nio.file.Files.readString(revision);
    java.nio.file.Files.writeString(revision, text.substring(0, text.length() / 2)); // torn

    for (String[] command : new String[][] {{"history", "shop.shop"}, {"diff", "shop.shop", "1", "1"}}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command));
      args.addAll(java.util.List.of("--state", state.toString()));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.FAILURE.code());
      assertThat(run.err()).as(command[0]).contains(revision.getFileName().toString());
    }
  }

  @Test
  void readingRevisionsOfAStateDirectoryThatDoesNotExistCreatesNothing() {
    Path state = tmp.resolve("typo");
    CliRun history = CliRun.of("history", "shop.shop", "--state", state.toString());
    assertThat(history.exit()).as(history.golden()).isZero();
    assertThat(history.out()).isEqualTo("shop.shop: 0 revisions\n");
    CliRun diff = CliRun.of("diff", "shop.shop", "1", "2", "--state", state.toString());
    assertThat(diff.exit()).as(diff.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    CliRun rollback = CliRun.of("rollback", "shop.shop", "1", "--state", state.toString(), "-o", "json");
    assertThat(rollback.exit()).as(rollback.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(io.orchestrationplane.core.resource.Json.readJson(rollback.out()).path("error").asString())
        .startsWith("application shop.shop has no revision 1");
    assertThat(state).doesNotExist();
  }

  @Test
  void aPlanThatCannotBeWrittenToOutIsAFailedWriteNamingTheOption() {
    CliRun noDirectory = CliRun.of("plan", APPS + "shop.yaml", "--out", tmp.resolve("no/such/plan.json").toString(), "-o", "json");
    assertThat(noDirectory.exit()).as(noDirectory.golden()).isEqualTo(ExitCode.FAILURE.code());
    assertThat(io.orchestrationplane.core.resource.Json.readJson(noDirectory.out()).path("error").asString())
        .startsWith("cannot write --out ").endsWith("plan.json: its directory does not exist");
    CliRun directory = CliRun.of("plan", APPS + "shop.yaml", "--out", tmp.toString());
    assertThat(directory.exit()).as(directory.golden()).isEqualTo(ExitCode.FAILURE.code());
    assertThat(directory.err()).startsWith("orchestrate: cannot write --out ").doesNotContain("Exception");
  }

  @Test
  void aBlankActorOrABadKubernetesVersionIsInvalidInputEvenWithoutPolicies() {
    CliRun blank = CliRun.of("plan", APPS + "shop.yaml", "--as", " ");
    assertThat(blank.exit()).as(blank.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(blank.err()).startsWith("orchestrate: --as: ").doesNotContain("Exception");
    CliRun version = CliRun.of("plan", APPS + "shop.yaml", "--kubernetes-version", "abc");
    assertThat(version.exit()).as(version.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(version.out()).isEmpty();
    assertThat(version.err()).startsWith("orchestrate: --kubernetes-version: ");
    assertThat(CliRun.of("plan", APPS + "shop.yaml", "--kubernetes-version", "1.31").exit()).isZero();
  }

  @Test
  void aRollbackToSomethingThatIsNotARevisionIsInvalidInputAndWritesNothing() {
    Path state = tmp.resolve("state");
    assertThat(CliRun.of("apply", APPS + "shop.yaml", "--state", state.toString(), "--as", "ci").exit()).isZero();
    CliRun run = CliRun.of("rollback", "shop.shop", "latest", "--state", state.toString(), "-o", "json");
    assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(io.orchestrationplane.core.resource.Json.readJson(run.out()).path("error").asString())
        .isEqualTo("'latest' is not a revision: a number (3) or a full digest (sha256:...)");
    assertThat(CliRun.of("history", "shop.shop", "--state", state.toString()).out()).startsWith("shop.shop: 1 revision\n");
  }

  @Test
  void validateAcceptsAValidApplication() {
    CliRun run = CliRun.of("validate", APPS + "shop.yaml", "--policy", GUARDRAILS);
    assertThat(run.exit()).isZero();
    golden("validate-ok", run);
  }

  @Test
  void anInvalidApplicationExitsFourWithEveryProblemsFileLineAndField() {
    CliRun text = CliRun.of("validate", APPS + "invalid.yaml");
    assertThat(text.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("validate-invalid-text", text);
    CliRun sarif = CliRun.of("validate", APPS + "invalid.yaml", "-o", "sarif");
    assertThat(sarif.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("validate-invalid-sarif", sarif);
    CliRun json = CliRun.of("plan", APPS + "invalid.yaml", "-o", "json");
    assertThat(json.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("plan-invalid-json", json);
  }

  @Test
  void aPolicyThatDoesNotCompileIsInvalidInputNamingItsFileAndField() {
    CliRun run = CliRun.of("validate", APPS + "shop.yaml", "--policy", "src/test/resources/policies/broken.yaml");
    assertThat(run.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("validate-broken-policy", run);
  }

  @Test
  void badCommandLinesAndMissingFilesAreInvalidInput() {
    golden("error-missing-file", CliRun.of("plan", APPS + "no-such.yaml"));
    golden("error-unknown-option", CliRun.of("plan", APPS + "shop.yaml", "--frobnicate"));
    golden("error-no-command", CliRun.of());
    golden("error-bad-output", CliRun.of("plan", APPS + "shop.yaml", "-o", "xml"));
    golden("error-bad-timeout", CliRun.of("apply", APPS + "shop.yaml", "--wait", "--timeout", "soon"));
    golden("error-rollback-without-state", CliRun.of("rollback", "shop.shop", "1"));
    golden("error-bad-cluster", CliRun.of("plan", APPS + "shop.yaml", "--cluster", ":tier=prod"));
    for (CliRun run : java.util.List.of(CliRun.of("plan", APPS + "no-such.yaml"), CliRun.of(),
        CliRun.of("plan", APPS + "shop.yaml", "--frobnicate"))) {
      assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
    }
  }

  @Test
  void renderPrintsTheObjectsWithSecretValuesRedacted() {
    CliRun run = CliRun.of("render", APPS + "config.yaml");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).doesNotContain("correct-horse-battery");
    golden("render-config", run);
    CliRun shown = CliRun.of("render", APPS + "config.yaml", "--show-secrets", "-o", "json");
    assertThat(shown.out()).contains("correct-horse-battery");
    CliRun prod = CliRun.of("render", APPS + "shop.yaml", "-e", "prod");
    golden("render-environment", prod);
    golden("render-unknown-environment", CliRun.of("render", APPS + "shop.yaml", "-e", "qa"));
  }

  @Test
  void applyWithWaitReturnsOnceTheApplicationIsReady() {
    CliRun run = CliRun.of("apply", APPS + "config.yaml", "--wait", "--timeout", "0s", "--as", "ci");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).doesNotContain("correct-horse");
    Goldens.assertMatches("golden/apply-wait-ready.txt", run.goldenWithoutKeyedDigests());
  }

  @Test
  void applyWithWaitFailsWithWhatIsStillWaitingAfterTheTimeout() {
    // The embedded cluster has no kubelet: Deployments never become available.
    CliRun run = CliRun.of("apply", APPS + "shop.yaml", "--wait", "--timeout", "0s", "--as", "ci", "-o", "json");
    assertThat(run.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("apply-wait-timeout", run);
  }

  @Test
  void statusExitsOneWhileTheApplicationIsNotReady() {
    CliRun run = CliRun.of("status", APPS + "shop.yaml");
    assertThat(run.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("status-not-ready", run);
  }

  @Test
  void diffComparesTwoFilesOfAnApplication() {
    CliRun run = CliRun.of("diff", APPS + "shop.yaml", APPS + "shop-v2.yaml");
    assertThat(run.exit()).isZero();
    golden("diff-files", run);
    CliRun detailed = CliRun.of("diff", APPS + "shop.yaml", APPS + "shop-v2.yaml", "--detailed-exitcode", "-o", "json");
    assertThat(detailed.exit()).isEqualTo(ExitCode.CHANGES.code());
    golden("diff-files-json", detailed);
    assertThat(CliRun.of("diff", APPS + "shop.yaml", APPS + "shop.yaml", "--detailed-exitcode").exit()).isZero();
    CliRun secrets = CliRun.of("diff", APPS + "config.yaml", APPS + "config-v2.yaml");
    assertThat(secrets.out()).doesNotContain("correct-horse").contains("hmac:");
    CliRun other = CliRun.of("diff", APPS + "shop.yaml", APPS + "config.yaml");
    assertThat(other.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("diff-other-application", other);
  }

  @Test
  void revisionsSurviveBetweenRunsSoARollbackInAnotherProcessWorks() {
    String state = tmp.resolve("state").toString();
    StringBuilder transcript = new StringBuilder();
    for (String[] args : new String[][] {
        {"apply", APPS + "shop.yaml", "--state", state, "--as", "ci"},
        {"apply", APPS + "shop-v2.yaml", "--state", state, "--as", "ci"},
        {"apply", APPS + "shop-v2.yaml", "--state", state, "--as", "ci"},
        {"history", "shop.shop", "--state", state},
        {"diff", "shop.shop", "1", "2", "--state", state},
        {"rollback", "shop.shop", "1", "--state", state, "--as", "ci"},
        {"history", "shop.shop", "--state", state, "-o", "json"},
        {"rollback", "shop.shop", "9", "--state", state},
    }) {
      CliRun run = CliRun.of(args);
      transcript.append(run.golden().replace(state, "$STATE")).append('\n');
    }
    Goldens.assertMatches("golden/revisions.txt", transcript.toString());
    assertThat(Files.exists(tmp.resolve("state").resolve("revisions"))).isTrue();
  }

  @Test
  void policyTestRunsGatorKyvernoAndPolicyTesterSuites() {
    CliRun run = CliRun.of("policy", "test", "src/test/resources/policy-tests");
    assertThat(run.exit()).isZero();
    golden("policy-test-pass", run);
  }

  @Test
  void aFailingPolicyTestExitsOneWithEachFailedCasesLine() {
    CliRun text = CliRun.of("policy", "test", "src/test/resources/policy-tests-failing");
    assertThat(text.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("policy-test-fail-text", text);
    CliRun sarif = CliRun.of("policy", "test", "src/test/resources/policy-tests-failing", "-o", "sarif");
    assertThat(sarif.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("policy-test-fail-sarif", sarif);
    golden("policy-test-not-a-test", CliRun.of("policy", "test", APPS + "shop.yaml"));
    golden("policy-test-nothing-found", CliRun.of("policy", "test", "src/test/resources/apps"));
  }

  @Test
  void anUnreachableKubeconfigContextExitsFive() throws Exception {
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: down
          cluster: {server: "https://127.0.0.1:1"}
        contexts:
        - name: prod
          context: {cluster: down, user: ci}
        current-context: prod
        users:
        - name: ci
          user: {token: not-a-real-token}
        """);
    CliRun run = CliRun.of("plan", APPS + "config.yaml", "--kubeconfig", kubeconfig.toString());
    assertThat(run.exit()).isEqualTo(ExitCode.UNREACHABLE.code());
    assertThat(run.out()).contains("prod: cluster unreachable, nothing planned there");
    assertThat(run.out() + run.err()).doesNotContain("not-a-real-token");
    CliRun unknown = CliRun.of("plan", APPS + "config.yaml", "--kubeconfig", kubeconfig.toString(), "--context", "staging");
    assertThat(unknown.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(unknown.err()).contains("has no context 'staging'");
  }

  @Test
  void aKubeconfigThatDoesNotParseIsInvalidInputAndNeverQuotesIt() throws Exception {
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nusers: [{name: ci, user: {token: not-a-real-token}}]\ncontexts: {{{\n");
    for (String[] target : new String[][] {{"--kubeconfig", kubeconfig.toString()},
        {"--kubeconfig", kubeconfig.toString(), "--context", "prod"}, {"--kubeconfig", tmp.resolve("none").toString(), "--context", "prod"}}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("plan", APPS + "config.yaml"));
      args.addAll(java.util.List.of(target));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
      assertThat(run.err()).as(run.golden()).startsWith("orchestrate: kubeconfig ").doesNotContain("Exception");
      assertThat(run.out() + run.err()).doesNotContain("not-a-real-token");
    }
  }

  @Test
  void aBindingOfAPolicyNoFileHoldsIsIgnoredAsKubernetesIgnoresItAndSaidSo() throws Exception {
    Path binding = tmp.resolve("binding.yaml");
    Files.writeString(binding, """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: b}
        spec: {policyName: not-loaded, validationActions: [Deny]}
        """);
    CliRun run = CliRun.of("validate", APPS + "shop.yaml", "--policy", binding.toString());
    assertThat(run.exit()).as(run.golden()).isZero();
    assertThat(run.err()).startsWith("orchestrate: warning: --policy: binding 'b' refers to policy 'not-loaded', "
        + "which no --policy file holds: it is ignored, as Kubernetes ignores it\n");
  }

  @Test
  void anApplicationIdThatIsNotOneIsInvalidInputForEveryRevisionCommand() {
    String state = tmp.resolve("state").toString();
    for (String id : new String[] {"", "shop", "../../etc.passwd", "Shop.shop", "shop."}) {
      for (CliRun run : java.util.List.of(CliRun.of("history", id, "--state", state),
          CliRun.of("diff", id, "1", "2", "--state", state), CliRun.of("rollback", id, "1", "--state", state))) {
        assertThat(run.exit()).as(run.golden()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(run.err()).as(run.golden()).contains("is not an application id <namespace>.<name> (shop.shop)")
            .doesNotContain("Exception");
      }
    }
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void theReadmesSampleAndTheBenchmarksApplicationPlan() {
    CliRun sample = CliRun.of("plan", "../samples/cli/shop.yaml", "--policy",
        "../samples/testing/src/main/resources/policies/guardrails.yaml", "--detailed-exitcode");
    assertThat(sample.exit()).as(sample.golden()).isEqualTo(ExitCode.CHANGES.code());
    assertThat(sample.out()).startsWith("Plan for application shop.shop: 8 to create");
    CliRun bench = CliRun.of("plan", "../benchmarks/cli/app-35.yaml", "--policy",
        "../samples/testing/src/main/resources/policies/guardrails.yaml", "--detailed-exitcode");
    assertThat(bench.exit()).as(bench.golden()).isEqualTo(ExitCode.CHANGES.code());
    assertThat(bench.out()).startsWith("Plan for application bench.bench: 35 to create, 0 to update");
  }

  @Test
  void versionAndHelpExitZero() {
    CliRun version = CliRun.of("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("orchestrate ").doesNotContain("unknown");
    CliRun help = CliRun.of("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("validate", "render", "plan", "apply", "status", "diff", "history", "rollback", "policy",
        "3 denied by policy");
  }
}
