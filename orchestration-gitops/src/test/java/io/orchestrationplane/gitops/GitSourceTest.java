package io.orchestrationplane.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Git source against real repositories the test creates, fetched over file:// into a plane in continuous mode. */
class GitSourceTest {
  @TempDir Path tmp;
  final ManualClock clock = ManualClock.create();
  final Scheduler scheduler = Scheduler.manual(clock);
  final InMemoryCluster dev = InMemoryCluster.create("dev");
  OrchestrationPlane plane;
  TestRepository origin;

  @BeforeEach
  void setUp() throws Exception {
    plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0).cluster(dev)
        .readinessGates(false).logging(false).build();
    plane.start();
    origin = new TestRepository(tmp.resolve("origin"));
  }

  @AfterEach
  void tearDown() {
    plane.close();
    origin.close();
    scheduler.close();
  }

  static String app(String name, String mode) {
    return """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: shop}
        spec:
          components:
            - name: settings
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: %s-settings}
                    data: {mode: "%s"}
        """.formatted(name, name, mode);
  }

  Optional<String> mode(String configMap) {
    return dev.get(ResourceKey.of("dev", "", "ConfigMap", "shop", configMap))
        .map(r -> r.json().path("data").path("mode").asString());
  }

  GitRepository.Builder repository() {
    return GitRepository.builder(origin.url()).directory(tmp.resolve("cache"));
  }

  GitSource source(GitRepository repo) {
    return GitSource.builder("shop", repo, plane).path("deploy").scheduler(scheduler)
        .interval(Duration.ofMinutes(1)).manifestsApplication("shop", "shop-extras").build();
  }

  @Test
  void aCommitsApplicationsAndPlainManifestsRunWithTheCommitAsTheirOrigin() throws Exception {
    origin.write("deploy/api.yaml", app("api", "fast"))
        .write("deploy/extras.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: extras}
            data: {mode: plain}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: more}
            data: {mode: plain}
            """)
        .write("README.md", "not read");
    String sha = origin.commit("Deploy the shop\n\nwith its extras", "Alice", null);

    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOf(SyncResult.Applied.class);
      assertThat(((SyncResult.Applied) result).submitted()).containsExactlyInAnyOrder("shop.api", "shop.shop-extras");
      assertThat(mode("api-settings")).contains("fast");
      assertThat(mode("extras")).contains("plain");
      assertThat(mode("more")).contains("plain");

      SyncStatus status = source.status();
      assertThat(status.appliedCommit()).hasValueSatisfying(c -> {
        assertThat(c.id()).isEqualTo(sha);
        assertThat(c.author()).isEqualTo("Alice");
        assertThat(c.authorEmail()).isEqualTo("alice@example.com");
        assertThat(c.subject()).isEqualTo("Deploy the shop");
        assertThat(c.verification()).isInstanceOf(Verification.NotRequired.class);
      });
      assertThat(status.message()).contains(sha.substring(0, 7)).contains("Deploy the shop").contains("Alice");
      assertThat(status.applications()).containsExactly("shop.api", "shop.shop-extras");
      assertThat(status.isHealthy()).isTrue();

      Revision revision = plane.history("shop.api").get(0);
      assertThat(revision.source().origin()).isEqualTo(Origin.git(origin.url(), sha, "deploy/api.yaml",
          "Alice <alice@example.com>", "Deploy the shop"));
      assertThat(revision.source().origin().describe()).isEqualTo("git " + origin.url() + "@" + sha
          + " deploy/api.yaml \"Deploy the shop\" by Alice <alice@example.com>");
      assertThat(revision.source().subject().name()).isEqualTo("gitops:shop");
      assertThat(plane.history("shop.shop-extras").get(0).source().origin())
          .isEqualTo(Origin.git(origin.url(), sha, "deploy", "Alice <alice@example.com>", "Deploy the shop"));
    }
  }

  @Test
  void pollsOnTheSchedulersClockAndAnUnchangedRepositoryDoesNothing() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    origin.commit("v1");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.start();
      clock.advance(Duration.ZERO);
      plane.runPending();
      assertThat(mode("api-settings")).contains("v1");

      origin.write("deploy/api.yaml", app("api", "v2"));
      String v2 = origin.commit("v2");
      clock.advance(Duration.ofSeconds(59));
      plane.runPending();
      assertThat(mode("api-settings")).as("before the interval").contains("v1");

      clock.advance(Duration.ofSeconds(1));
      plane.runPending();
      assertThat(mode("api-settings")).contains("v2");
      assertThat(source.status().appliedCommit().orElseThrow().id()).isEqualTo(v2);

      assertThat(source.sync()).isInstanceOf(SyncResult.Unchanged.class);
      assertThat(plane.history("shop.api")).hasSize(2);
    }
  }

  @Test
  void theFetchIsShallow() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    String first = origin.commit("v1");
    origin.write("deploy/api.yaml", app("api", "v2"));
    origin.commit("v2");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
    }
    assertThat(tmp.resolve("cache/shallow")).exists();
    try (org.eclipse.jgit.lib.Repository cache = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
        .setGitDir(tmp.resolve("cache").toFile()).setBare().build()) {
      assertThat(cache.getObjectDatabase().has(org.eclipse.jgit.lib.ObjectId.fromString(first)))
          .as("the parent commit was not fetched").isFalse();
    }
  }

  @Test
  void aForcePushIsFollowed() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    String v1 = origin.commit("v1");
    origin.write("deploy/api.yaml", app("api", "v2"));
    origin.commit("v2");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();
      assertThat(mode("api-settings")).contains("v2");

      origin.resetHard(v1);
      origin.write("deploy/api.yaml", app("api", "v3"));
      String v3 = origin.commit("v3 rewritten");
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      plane.runPending();

      assertThat(mode("api-settings")).contains("v3");
      assertThat(source.status().appliedCommit().orElseThrow().id()).isEqualTo(v3);
    }
  }

  @Test
  void aDeletedPathHoldsThePruneUntilAPersonConfirmsIt() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1")).write("deploy/web.yaml", app("web", "v1"));
    origin.commit("two applications");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();

      origin.delete("deploy").write("other/readme.yaml", "{}");
      String gone = origin.commit("oops: moved everything away");
      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Applied.class, a -> {
        assertThat(a.removed()).isEmpty();
        assertThat(a.held()).containsExactly("shop.api", "shop.web");
        assertThat(a.holdReason()).contains("path 'deploy' does not exist at commit " + gone.substring(0, 7))
            .contains("yields no application");
      });
      assertThat(mode("api-settings")).contains("v1");
      assertThat(mode("web-settings")).contains("v1");
      SyncStatus status = source.status();
      assertThat(status.heldRemovals()).containsExactly("shop.api", "shop.web");
      assertThat(status.isHealthy()).isFalse();
      assertThat(status.message()).contains("prune held");
      assertThat(source.sync()).as("a held prune is tried again, and held again")
          .isInstanceOfSatisfying(SyncResult.Applied.class, a -> assertThat(a.held()).hasSize(2));

      source.syncConfirmingPrune();
      plane.runPending();
      assertThat(mode("api-settings")).isEmpty();
      assertThat(mode("web-settings")).isEmpty();
      assertThat(source.status().applications()).isEmpty();
    }
  }

  @Test
  void anEmptiedDirectoryHoldsThePruneToo() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    origin.commit("one");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();
      origin.write("deploy/api.yaml", "# emptied by a bad merge\n");
      origin.commit("empty");
      assertThat(source.sync()).isInstanceOfSatisfying(SyncResult.Applied.class,
          a -> assertThat(a.held()).containsExactly("shop.api"));
      plane.runPending();
      assertThat(mode("api-settings")).contains("v1");
    }
  }

  @Test
  void removingFewApplicationsOfManyPrunesThem() throws Exception {
    for (String n : new String[] {"a", "b", "c", "d"}) {
      origin.write("deploy/" + n + ".yaml", app(n, "v1"));
    }
    origin.commit("four");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();
      origin.delete("deploy/d.yaml");
      origin.commit("retire d");
      assertThat(source.sync()).isInstanceOfSatisfying(SyncResult.Applied.class,
          a -> assertThat(a.removed()).containsExactly("shop.d"));
      plane.runPending();
      assertThat(mode("d-settings")).isEmpty();
      assertThat(mode("a-settings")).contains("v1");

      origin.delete("deploy/a.yaml").delete("deploy/b.yaml");
      origin.commit("retire a and b");
      assertThat(source.sync()).as("two of three is beyond half")
          .isInstanceOfSatisfying(SyncResult.Applied.class, a -> {
            assertThat(a.removed()).isEmpty();
            assertThat(a.held()).containsExactly("shop.a", "shop.b");
            assertThat(a.holdReason()).contains("removing 2 of 3 applications exceeds the prune guard (at most 1)");
          });
    }
  }

  @Test
  void anInvalidDocumentRefusesTheWholeCommitNamingFileAndLine() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    origin.commit("good");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();

      origin.write("deploy/api.yaml", app("api", "v2"))
          .write("deploy/web.yaml", "---\n" + app("web", "v1").replace("k8s-objects", "k8s-object"))
          .write("deploy/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
      String bad = origin.commit("bad");
      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Refused.class, r -> assertThat(r.reason())
          .contains("commit " + bad.substring(0, 7) + " cannot be applied (2 problems)")
          .contains("deploy/web.yaml:8:7: spec.components[0].type: unknown component type 'k8s-object'")
          .contains("spec.components[0].type")
          .contains("deploy/broken.yaml:3:19: invalid YAML: while parsing a flow mapping")
          .contains("nothing was applied or removed"));
      assertThat(mode("api-settings")).as("the previous commit keeps running").contains("v1");
      assertThat(source.status().appliedCommit().orElseThrow().subject()).isEqualTo("good");
      assertThat(source.status().seenCommit().orElseThrow().id()).isEqualTo(bad);
    }
  }

  @Test
  void anUnreachableRemoteRemovesNothingAndStatusSaysWhy() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    origin.commit("one");
    try (GitRepository repo = repository().build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();

      try (var paths = Files.walk(tmp.resolve("origin"))) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class, f -> assertThat(f.reason())
          .contains("cannot fetch branch main of " + origin.url()).contains("nothing was applied or removed"));
      assertThat(mode("api-settings")).contains("v1");
      assertThat(source.status().applications()).containsExactly("shop.api");
      assertThat(source.status().message()).contains("cannot fetch");
    }
  }

  @Test
  void aTagAndAPinnedCommitAreFollowed() throws Exception {
    origin.write("deploy/api.yaml", app("api", "tagged"));
    String tagged = origin.commit("tagged");
    origin.tag("v1.0.0");
    origin.write("deploy/api.yaml", app("api", "later"));
    origin.commit("later");

    try (GitRepository repo = repository().ref(GitRef.tag("v1.0.0")).build(); GitSource source = source(repo)) {
      source.sync();
      plane.runPending();
      assertThat(mode("api-settings")).contains("tagged");
      assertThat(source.status().appliedCommit().orElseThrow().id()).isEqualTo(tagged);
    }
    try (GitRepository repo = GitRepository.builder(origin.url()).ref(GitRef.commit(tagged)).build()) {
      assertThat(repo.fetch().commit().id()).isEqualTo(tagged);
    }
  }

  @Test
  void aMissingBranchFailsNamingIt() throws Exception {
    origin.write("deploy/api.yaml", app("api", "v1"));
    origin.commit("one");
    try (GitRepository repo = repository().ref(GitRef.branch("release")).build()) {
      assertThatThrownBy(repo::fetch).isInstanceOf(GitException.class).hasMessageContaining("branch release");
    }
  }

  @Test
  void addressesWithCredentialsOrUnsupportedTransportsAreRefused() {
    assertThatThrownBy(() -> GitRepository.builder("https://bob:hunter2-token@git.example.com/shop.git"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2")
        .hasMessageContaining("user information");
    assertThatThrownBy(() -> GitRepository.builder("https://git.example.com/shop.git?private_token=hunter2-token"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2")
        .hasMessageContaining("query");
    assertThatThrownBy(() -> GitRepository.builder("https://hunter2-token@git.example.com/shop.git"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> GitRepository.builder("git@github.com:acme/shop.git"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssh");
  }
}
