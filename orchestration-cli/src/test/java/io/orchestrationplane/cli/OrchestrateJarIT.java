package io.orchestrationplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar {@code mvn package} builds ({@code target/orchestrate.jar}), run as a separate
 * process with {@code java -jar}, as a CI step runs it: exit codes reach the shell, the shaded jar
 * carries everything it needs, and an apply and a rollback in two processes share revisions
 * through {@code --state}. Runs in the integration-test phase, after the jar is built.
 */
class OrchestrateJarIT {
  static final String APPS = "src/test/resources/apps/";

  @TempDir
  Path tmp;

  record Result(int exit, String out, String err) {}

  static Result java(String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("orchestrate.jar", "target/orchestrate.jar"));
    assertThat(jar).as("the shaded jar built by mvn package").isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("orchestrate", ".out");
    Path err = Files.createTempFile("orchestrate", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("orchestrate %s finished", List.of(args)).isTrue();
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  @Test
  void theJarRunsAndItsExitCodesReachTheShell() throws Exception {
    Result version = java("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("orchestrate 0.");

    Result plan = java("plan", APPS + "shop.yaml", "--detailed-exitcode");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
    assertThat(plan.out()).startsWith("Plan for application shop.shop: 8 to create");

    Result denied = java("plan", APPS + "bad-latest.yaml", "--policy", "src/test/resources/policies/guardrails.yaml",
        "-o", "sarif");
    assertThat(denied.exit()).isEqualTo(3);
    assertThat(denied.out()).contains("\"ruleId\" : \"disallow-latest-tag\"", "\"startLine\" : 14");

    Result invalid = java("validate", APPS + "invalid.yaml");
    assertThat(invalid.exit()).isEqualTo(4);
    assertThat(invalid.err()).contains("invalid.yaml:8:58: error: spec.components[0].properties.port");

    Result tests = java("policy", "test", "src/test/resources/policy-tests");
    assertThat(tests.exit()).as(tests.out() + tests.err()).isZero();
    assertThat(tests.out()).endsWith("11 passed, 0 failed\n");
  }

  @Test
  void anApplyAndARollbackInTwoProcessesShareRevisionsThroughTheStateDirectory() throws Exception {
    String state = tmp.resolve("state").toString();
    assertThat(java("apply", APPS + "shop.yaml", "--state", state, "--as", "ci").exit()).isZero();
    assertThat(java("apply", APPS + "shop-v2.yaml", "--state", state, "--as", "ci").exit()).isZero();
    Result rollback = java("rollback", "shop.shop", "1", "--state", state, "--as", "ci");
    assertThat(rollback.exit()).as(rollback.err()).isZero();
    assertThat(rollback.out()).startsWith("Rolled back shop.shop").contains("revision 3 ");
    Result history = java("history", "shop.shop", "--state", state);
    assertThat(history.out()).contains("3  sha256:").contains("rollback of 1");
  }

  /** Runs {@code bin/orchestrate} (the launcher script) with /bin/sh and these environment variables. */
  static Result launcher(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/sh", "bin/orchestrate"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("orchestrate", ".out");
    Path err = Files.createTempFile("orchestrate", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("ORCHESTRATE_JAR");
    pb.environment().remove("ORCHESTRATE_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bin/orchestrate %s finished", List.of(args)).isTrue();
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  @Test
  void theLauncherRunsTheBuiltJarWithItsOptionsAndPassesExitCodesThrough() throws Exception {
    Result plan = launcher(java.util.Map.of(), "plan", APPS + "shop.yaml", "--detailed-exitcode");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
    assertThat(plan.out()).startsWith("Plan for application shop.shop: 8 to create");

    // extra options reach the JVM: an unknown one stops it before the CLI runs
    Result bad = launcher(java.util.Map.of("ORCHESTRATE_JAVA_OPTS", "-XX:+NoSuchOrchestrateOption"), "--version");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("NoSuchOrchestrateOption");

    Result missing = launcher(java.util.Map.of("ORCHESTRATE_JAR", tmp.resolve("absent.jar").toString()), "--version");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no orchestrate.jar", "ORCHESTRATE_JAR");
  }
}
