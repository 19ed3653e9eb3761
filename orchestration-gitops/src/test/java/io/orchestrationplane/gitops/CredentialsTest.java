package io.orchestrationplane.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over Git's smart HTTP protocol with a token: it works, and the token reaches no log, status or message. */
class CredentialsTest {
  static final String TOKEN = "ghp_s3cretTokenValue0123456789";
  @TempDir Path tmp;

  @Test
  void aTokenAuthenticatesOverHttpAndNeverShows() throws Exception {
    ManualClock clock = ManualClock.create();
    Scheduler scheduler = Scheduler.manual(clock);
    InMemoryCluster dev = InMemoryCluster.create("dev");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (TestRepository origin = new TestRepository(tmp.resolve("origin"));
        GitHttpServer server = new GitHttpServer(origin.git().getRepository(), "x-access-token", TOKEN);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
            .cluster(dev).readinessGates(false).build()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      plane.start();
      origin.write("deploy/api.yaml", GitSourceTest.app("api", "over-http"));
      origin.commit("over http");

      try (GitRepository good = GitRepository.builder(server.url()).credentials(GitCredentials.token(TOKEN)).build();
          GitSource source = GitSource.builder("shop", good, plane).path("deploy").scheduler(scheduler).build()) {
        assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
        plane.runPending();
        assertThat(dev.get(ResourceKey.of("dev", "", "ConfigMap", "shop", "api-settings"))).isPresent();
        assertThat(source.sync()).isInstanceOf(SyncResult.Unchanged.class);
        assertThat(source.status().toString()).doesNotContain(TOKEN);
        assertThat(good.toString()).doesNotContain(TOKEN);
        assertThat(GitCredentials.token(TOKEN).toString()).doesNotContain(TOKEN);
      }

      String wrongToken = "ghp_wrongTokenValue9876543210";
      try (GitRepository bad = GitRepository.builder(server.url()).credentials(GitCredentials.token(wrongToken)).build();
          GitSource source = GitSource.builder("other", bad, plane).path("deploy").scheduler(scheduler).build()) {
        SyncResult result = source.sync();
        assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class, f -> assertThat(f.reason())
            .contains("cannot fetch branch main of " + server.url()).doesNotContain(wrongToken));
        assertThat(source.status().toString()).doesNotContain(wrongToken);
        try {
          bad.fetch();
        } catch (GitException e) {
          assertThat(e).hasMessageNotContaining(wrongToken);
          assertThat(e.getCause()).isNull();
        }
      } finally {
        System.setErr(err);
      }
      assertThat(server.unauthorized.get()).as("the server refused the wrong token").isPositive();
      String logs = captured.toString(StandardCharsets.UTF_8);
      assertThat(logs).contains("Git source shop").contains("Git source other");
      assertThat(logs).doesNotContain(TOKEN).doesNotContain(wrongToken);
    } finally {
      System.setErr(err);
      scheduler.close();
    }
  }
}
