package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken YAML given to the policy loader and the policy test runners. */
class PolicyYamlInputTest {
  private static final String VAP_HEAD = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: p}
      """;

  @Test
  void aKeyGivenTwiceIsRefusedNamingBothLinesInsteadOfTheLastOneWinningSilently() {
    // The second spec would replace the first one unseen: the policy that denies nothing is loaded.
    assertThatThrownBy(() -> PolicyLoader.load(VAP_HEAD + """
        spec:
          validations: [{expression: "object.metadata.name != 'forbidden'"}]
        spec:
          validations: [{expression: "true"}]
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 6")
        .hasMessageContaining("'spec' appears twice in one mapping (line 4 and line 6)");
  }

  @Test
  void anAliasOrAnUnknownTagIsRefusedAtItsLineInsteadOfBeingReadAsText() {
    // Jackson reads *m as the text "m" and drops !vault: the policy would run on values nobody wrote.
    assertThatThrownBy(() -> PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: &m {name: p}
        spec:
          validations: [{expression: "true", message: *m}]
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 5").hasMessageContaining("aliases");
    assertThatThrownBy(() -> PolicyLoader.load(VAP_HEAD + """
        spec:
          validations: [{expression: !vault "true"}]
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 5").hasMessageContaining("tag '!vault' is not supported");
  }

  @Test
  void deepNestingAndControlCharactersAreRefusedAtTheirLine() {
    assertThatThrownBy(() -> PolicyLoader.load(VAP_HEAD + "spec:\n  x: " + "[".repeat(300) + "]".repeat(300) + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 5").hasMessageContaining("nest more than 200 levels");
    assertThatThrownBy(() -> PolicyLoader.load(VAP_HEAD + "spec:\n  x: \"a\u0000b\"\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 5, column 8");
  }

  @Test
  void aSyntaxErrorNeverQuotesTheInputWhichMayHoldASecretValue() {
    assertThatThrownBy(() -> PolicyLoader.load("""
        apiVersion: v1
        kind: Secret
        stringData: {password: "hunter2-very-secret
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid YAML at line 3")
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("hunter2");
          }
        });
  }

  @Test
  void aBrokenFileASuiteNamesIsAnErrorNamingThatFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), VAP_HEAD + "spec:\n  validations: [{expression: 'true'}]\n");
    Files.writeString(dir.resolve("objects.yaml"), """
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: a}
        data: {password: aHVudGVyMg==}
        data: {password: c2VjcmV0}
        """);
    Files.writeString(dir.resolve("suite.yaml"), "policies: [policy.yaml]\ncases: [{resources: objects.yaml, expect: allow}]\n");

    assertThatThrownBy(() -> PolicyTester.runSuite(dir.resolve("suite.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("objects.yaml: invalid YAML at line 5")
        .hasMessageContaining("'data' appears twice")
        .hasMessageNotContaining("aHVudGVyMg");

    Files.writeString(dir.resolve("policy.yaml"), VAP_HEAD + "spec: {}\n");
    assertThatThrownBy(() -> PolicyTester.runSuite(dir.resolve("suite.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(dir.resolve("policy.yaml") + ": document 0 (ValidatingAdmissionPolicy p)");

    Files.write(dir.resolve("policy.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, '\n'});
    assertThatThrownBy(() -> PolicyTester.runSuite(dir.resolve("suite.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(dir.resolve("policy.yaml") + ": not UTF-8 text");
  }
}
