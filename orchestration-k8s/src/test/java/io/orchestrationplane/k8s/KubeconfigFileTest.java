package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubeconfig that is missing, a directory or not YAML of a kubeconfig is an
 * {@link IllegalArgumentException} naming the file, never the parser's exception or its snippet of
 * the file, which may hold a token.
 */
class KubeconfigFileTest {
  @TempDir
  Path tmp;

  @Test
  void aKubeconfigThatCannotBeReadIsAnIllegalArgumentNamingTheFileNotItsContent() throws Exception {
    Path broken = tmp.resolve("broken");
    Files.writeString(broken, "apiVersion: v1\nkind: Config\nusers: [{name: ci, user: {token: not-a-real-token}}]\ncontexts: {{{\n");
    Path notYaml = tmp.resolve("not-yaml");
    Files.write(notYaml, new byte[] {(byte) 0xff, 0, '{', '{'});
    for (Path file : new Path[] {broken, notYaml, tmp.resolve("missing"), tmp}) {
      for (Throwable t : new Throwable[] {catchThrowable(() -> KubernetesClusters.contexts(file)),
          catchThrowable(() -> KubernetesClusters.builder().kubeconfig(file)),
          catchThrowable(() -> KubernetesClusters.builder().kubeconfig(file, java.util.List.of("prod")))}) {
        assertThat(t).as(file.toString()).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("kubeconfig " + file + " is not a ");
        assertThat(t.getMessage()).doesNotContain("not-a-real-token");
      }
    }
  }
}
