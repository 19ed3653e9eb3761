package io.orchestrationplane.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input and faults against a Git source, with real repositories the test creates:
 * whatever a repository holds or the remote does, a sync returns a result naming the problem,
 * applies nothing of a bad commit and removes nothing it did not read successfully.
 */
class GitSourceProbeTest {
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

  Optional<String> mode(String configMap) {
    return dev.get(ResourceKey.of("dev", "", "ConfigMap", "shop", configMap))
        .map(r -> r.json().path("data").path("mode").asString());
  }

  GitSource source(GitRepository repo, boolean recurse) {
    return GitSource.builder("shop", repo, plane).path("deploy").recurse(recurse).scheduler(scheduler).build();
  }

  GitRepository repository() {
    return GitRepository.builder(origin.url()).directory(tmp.resolve("cache")).build();
  }

  @Test
  void deeplyNestedYamlIsRefusedNamingTheFileAndDoesNotEscapeTheSync() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      origin.write("deploy/a/b/c/bomb.yaml", "x: " + "[".repeat(200_000) + "\n");
      origin.commit("Nest deeply");

      SyncResult result = source.sync();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Refused.class,
          r -> assertThat(r.reason()).contains("deploy/a/b/c/bomb.yaml:1"));
      assertThat(source.status().applications()).containsExactly("shop.api");
    }
  }

  @Test
  void aSyntaxErrorDeepInADirectoryNamesFileAndLine() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"))
        .write("deploy/team/a/b/broken.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: one}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: two
             bad: [indent
            """);
    origin.commit("Broken");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      SyncResult result = source.sync();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Refused.class,
          r -> assertThat(r.reason()).containsPattern("deploy/team/a/b/broken\\.yaml:(8|9|10):"));
      assertThat(source.status().applications()).isEmpty();
      assertThat(mode("api-settings")).isEmpty();
    }
  }

  @Test
  void symlinksLoopsAndSubmodulesAreNotFollowed() throws Exception {
    Path secret = tmp.resolve("outside.yaml");
    Files.writeString(secret, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\ndata: {mode: secret}\n");
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    Path deploy = tmp.resolve("origin/deploy");
    Files.createSymbolicLink(deploy.resolve("stolen.yaml"), secret);
    Files.createSymbolicLink(deploy.resolve("passwd.yaml"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(deploy.resolve("up.yaml"), Path.of("../../outside.yaml"));
    Files.createSymbolicLink(deploy.resolve("loop.yaml"), Path.of("loop.yaml"));
    Files.createSymbolicLink(deploy.resolve("dir"), Path.of(".."));
    origin.commit("Links");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOf(SyncResult.Applied.class);
      assertThat(source.status().applications()).containsExactly("shop.api");
      assertThat(dev.get(ResourceKey.of("dev", "", "ConfigMap", "default", "stolen"))).isEmpty();
    }
  }

  @Test
  void aPathThatIsASymlinkOrEscapesIsRefusedOrNotFollowed() throws Exception {
    origin.write("real/api.yaml", GitSourceTest.app("api", "fast"));
    Files.createSymbolicLink(tmp.resolve("origin/deploy"), Path.of("real"));
    origin.commit("Path is a link");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      SyncResult result = source.sync();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class,
          f -> assertThat(f.reason()).contains("deploy is a symbolic link (not followed)").contains("not a directory"));
      assertThat(source.status().applications()).isEmpty();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GitSource.builder("shop", repository(), plane)
        .path("deploy/../../etc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("..");
  }

  @Test
  void aFileThatIsNotUtf8FailsTheSyncNamingItsLineInsteadOfApplyingReplacementCharacters() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      plane.runPending();
      // "fast" becomes "f\u00e2st" written in Latin-1: read as UTF-8 it would be "f\ufffdst"
      byte[] latin1 = GitSourceTest.app("api", "f\u00e2st").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      Files.write(tmp.resolve("origin/deploy/api.yaml"), latin1);
      origin.commit("Latin-1");

      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class, f -> assertThat(f.reason())
          .contains("deploy/api.yaml:13 at commit").contains("is not UTF-8 text")
          .contains("nothing was applied or removed"));
      assertThat(mode("api-settings")).contains("fast");
    }
  }

  @Test
  void aHugeFileFailsTheSyncNamingItAndKeepsWhatRuns() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      plane.runPending();
      origin.delete("deploy/api.yaml");
      origin.write("deploy/x/huge.yaml", "# " + "x".repeat(3 * 1024 * 1024) + "\n");
      origin.commit("Huge");

      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class,
          f -> assertThat(f.reason()).contains("deploy/x/huge.yaml").contains("nothing was applied or removed"));
      assertThat(source.status().applications()).containsExactly("shop.api");
      assertThat(source.status().appliedCommit()).isPresent();
    }
  }

  @Test
  void manyFilesAreRead() throws Exception {
    for (int i = 0; i < 2000; i++) {
      origin.write("deploy/d" + (i % 20) + "/cm" + i + ".yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm" + i + "}\n");
    }
    origin.commit("Many");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      SyncResult result = source.sync();
      assertThat(result).isInstanceOf(SyncResult.Applied.class);
      assertThat(source.status().applications()).containsExactly("default.shop");
    }
  }

  @Test
  void aCorruptRemoteKeepsWhatRunsRemovesNothingAndRecovers() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"))
        .write("deploy/web.yaml", GitSourceTest.app("web", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      origin.delete("deploy/web.yaml");
      String next = origin.commit("Remove web");
      // corrupt every loose object of the remote: the next fetch receives garbage
      Path objects = tmp.resolve("origin/.git/objects");
      try (var files = Files.walk(objects)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          p.toFile().setWritable(true);
          Files.write(p, new byte[] {1, 2, 3, 4});
        }
      }

      SyncResult result = source.sync();

      assertThat(result).isInstanceOf(SyncResult.Failed.class);
      assertThat(source.status().applications()).containsExactly("shop.api", "shop.web");
      assertThat(source.status().appliedCommit().orElseThrow().id()).isNotEqualTo(next);
      SyncResult again = source.sync();
      assertThat(again).isInstanceOf(SyncResult.Failed.class);
      assertThat(source.status().applications()).containsExactly("shop.api", "shop.web");
    }
  }

  @Test
  void theRemoteVanishingMidPollKeepsEverythingAndTheNextPollRecovers() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      source.start();
      clock.advance(java.time.Duration.ZERO);
      assertThat(source.status().applications()).containsExactly("shop.api");
      Path moved = tmp.resolve("moved");
      Files.move(tmp.resolve("origin"), moved);
      clock.advance(java.time.Duration.ofMinutes(3));
      assertThat(source.status().lastResult()).get().isInstanceOf(SyncResult.Failed.class);
      assertThat(source.status().applications()).containsExactly("shop.api");
      Files.move(moved, tmp.resolve("origin"));
      clock.advance(java.time.Duration.ofMinutes(3));
      assertThat(source.status().lastResult()).get().isNotInstanceOf(SyncResult.Failed.class);
    }
  }

  @Test
  void anUnparsableManifestNeverQuotesItsValuesInResultStatusOrLog() throws Exception {
    origin.write("deploy/secret.json", "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"data\": {\"password\": hunter2secret}}\n")
        .write("deploy/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: *hunter3secret\n")
        .write("deploy/tab.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: t}\nstringData:\n  password: \"hunter4secret\n");
    origin.commit("Leak?");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      SyncResult result = source.sync();

      assertThat(result).isInstanceOf(SyncResult.Refused.class);
      assertThat(result.describe()).contains("deploy/secret.json:1").contains("deploy/secret.yaml:5")
          .doesNotContain("hunter2secret").doesNotContain("hunter3secret").doesNotContain("hunter4secret");
      assertThat(source.status().message()).doesNotContain("hunter");
    }
  }

  @Test
  void aManifestWithAListWhereALabelValueBelongsIsRefusedNamingTheObjectAndFieldAndKeepsWhatRuns() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      origin.write("deploy/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop, labels: {a: [1]}}\n");
      origin.commit("A label of the wrong shape");

      SyncResult result = source.sync();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Refused.class, r -> assertThat(r.reason())
          .contains("deploy/plain.yaml:1: ConfigMap c: metadata.labels.a must be a string, got a list")
          .doesNotContain("Exception"));
      assertThat(source.status().applications()).containsExactly("shop.api");
    }
  }

  @Test
  void aManifestWhoseNameLabelsOrDataKubernetesRefusesIsRefusedAtItsFileAndLine() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.commit("Deploy");
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      origin.write("deploy/plain/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: shop}\n"
          + "---\n# the second document\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name, namespace: shop}\n");
      origin.write("deploy/plain/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: Shop\n"
          + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: shop, labels: {'a b': c}}\n"
          + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: orchestration-plane-inventory.x, namespace: shop}\n"
          // a cluster-scoped kind: placing drops its namespace, so its namespace is no problem
          + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: viewer, namespace: Not_A_Label}\n");
      origin.write("deploy/plain/c.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\n"
          + "data: {password: not-base64-hunter2}\n");
      origin.commit("Names and data Kubernetes refuses");

      SyncResult result = source.sync();

      assertThat(result).isInstanceOfSatisfying(SyncResult.Refused.class, r -> assertThat(r.reason())
          .contains("deploy/plain/a.yaml:5: ConfigMap shop/Bad_Name: metadata.name 'Bad_Name' is not a valid RFC 1123"
              + " subdomain")
          .contains("deploy/plain/b.yaml:1: ConfigMap Shop/c: metadata.namespace 'Shop' is not a valid RFC 1123 name")
          .contains("deploy/plain/b.yaml:7: ConfigMap shop/d: metadata.labels: label key 'a b' is not valid")
          .contains("deploy/plain/b.yaml:11: ConfigMap shop/orchestration-plane-inventory.x: ConfigMap names starting with")
          .contains("deploy/plain/c.yaml:1: Secret shop/s: data.password is not base64 (value not shown)")
          .doesNotContain("viewer").doesNotContain("fine").doesNotContain("hunter2"));
      assertThat(source.status().applications()).containsExactly("shop.api");
    }
  }

  @Test
  void aSecondSourceYieldingTheSameApplicationNeitherOverwritesNorRemovesIt() throws Exception {
    origin.write("a/api.yaml", GitSourceTest.app("api", "from-a"))
        .write("b/api.yaml", GitSourceTest.app("api", "from-b"))
        .write("b/web.yaml", GitSourceTest.app("web", "from-b"));
    origin.commit("Two sources define shop.api");
    try (GitRepository repoA = repository(); GitRepository repoB = GitRepository.builder(origin.url()).build();
        GitSource a = GitSource.builder("a", repoA, plane).path("a").scheduler(scheduler).build();
        GitSource b = GitSource.builder("b", repoB, plane).path("b").scheduler(scheduler).build()) {
      assertThat(a.sync()).isInstanceOf(SyncResult.Applied.class);
      plane.runPending();

      SyncResult fromB = b.sync();
      plane.runPending();

      assertThat(fromB).isInstanceOfSatisfying(SyncResult.Applied.class, r -> {
        assertThat(r.submitted()).containsExactly("shop.web");
        assertThat(r.failed()).singleElement().asString().contains("shop.api").contains("gitops:a");
      });
      assertThat(mode("api-settings")).contains("from-a");
      assertThat(b.status().applications()).containsExactly("shop.web");
      assertThat(b.status().isHealthy()).isFalse();

      origin.delete("b/api.yaml");
      origin.commit("b no longer defines shop.api");
      assertThat(b.sync()).isInstanceOfSatisfying(SyncResult.Applied.class, r -> assertThat(r.removed()).isEmpty());
      plane.runPending();
      assertThat(mode("api-settings")).contains("from-a");
      assertThat(a.status().applications()).containsExactly("shop.api");
    }
  }

  @Test
  void submodulesAreNotFollowedAndAPathThatIsOneSaysSo() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    String first = origin.commit("Deploy");
    org.eclipse.jgit.lib.Repository r = origin.git().getRepository();
    org.eclipse.jgit.dircache.DirCache index = r.lockDirCache();
    org.eclipse.jgit.dircache.DirCacheEditor editor = index.editor();
    for (String gitlink : java.util.List.of("deploy/evil.yaml", "deploy/nested", "vendored")) {
      editor.add(new org.eclipse.jgit.dircache.DirCacheEditor.PathEdit(gitlink) {
        @Override
        public void apply(org.eclipse.jgit.dircache.DirCacheEntry entry) {
          entry.setFileMode(org.eclipse.jgit.lib.FileMode.GITLINK);
          entry.setObjectId(org.eclipse.jgit.lib.ObjectId.fromString(first));
        }
      });
    }
    editor.commit();
    origin.git().commit().setMessage("Submodules").setSign(false).call();
    try (GitRepository repo = repository(); GitSource source = source(repo, true)) {
      SyncResult result = source.sync();
      assertThat(result).isInstanceOf(SyncResult.Applied.class);
      assertThat(source.status().applications()).containsExactly("shop.api");
    }
    try (GitRepository repo = GitRepository.builder(origin.url()).build();
        GitSource source = GitSource.builder("vendored", repo, plane).path("vendored").scheduler(scheduler).build()) {
      assertThat(source.sync()).isInstanceOfSatisfying(SyncResult.Failed.class,
          f -> assertThat(f.reason()).contains("vendored is a submodule (not followed)").contains("not a directory"));
    }
  }

  @Test
  void anInvalidSecretNeverQuotesItsValue() throws Exception {
    origin.write("deploy/secret.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: 42}
        type: Opaque
        data: {password: "hunter5secret!!not-base64", other: [hunter6secret]}
        stringData: {token: {nested: hunter7secret}}
        """);
    origin.commit("Bad secret");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      SyncResult result = source.sync();
      plane.runPending();

      assertThat(result.describe()).doesNotContain("hunter");
      assertThat(source.status().message()).doesNotContain("hunter");
      assertThat(plane.statuses().values()).allSatisfy(st -> assertThat(st.toString()).doesNotContain("hunter"));
    }
  }

  @Test
  void controlCharactersAndHugeSubjectsOfACommitNeverReachStatusRaw() throws Exception {
    origin.write("deploy/api.yaml", GitSourceTest.app("api", "fast"));
    origin.git().add().addFilepattern(".").call();
    origin.git().commit().setSign(false)
        .setAuthor(new org.eclipse.jgit.lib.PersonIdent("Eve\u001b[2J", "eve@example.com"))
        .setMessage("Deploy\r[main] INFO forged line \u001b[31m" + "x".repeat(100_000) + "\nbody").call();
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);

      String message = source.status().message();
      assertThat(message).doesNotContain("\r").doesNotContain("\u001b").contains("Deploy [main] INFO forged line");
      assertThat(message.length()).isLessThan(4096);
    }
  }

  @Test
  void aCommitWhoseSecondApplicationThePlaneRefusesSubmitsNothing() throws Exception {
    Application owner = plane.load(GitSourceTest.app("owner", "code")
        .replace("name: owner-settings", "name: taken-settings"));
    plane.submit(owner);
    origin.write("deploy/a.yaml", GitSourceTest.app("a", "from-git"))
        .write("deploy/b.yaml", GitSourceTest.app("b", "from-git").replace("name: b-settings", "name: taken-settings"));
    origin.commit("b renders an object shop.owner owns");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      SyncResult result = source.sync();

      assertThat(result).isInstanceOf(SyncResult.Refused.class);
      assertThat(((SyncResult.Refused) result).reason()).contains("shop.owner").contains("shop.b")
          .contains("taken-settings").contains("nothing was submitted or removed");
      assertThat(source.status().applications()).isEmpty();
      assertThat(plane.statuses()).containsOnlyKeys("shop.owner");

      // the refusal came from the plane's state, not the commit: the same commit applies once it changes
      plane.runPending();
      plane.remove(owner);
      plane.runPending(); // its objects are deleted, its claims released
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);
      assertThat(source.status().applications()).containsExactly("shop.a", "shop.b");
    }
  }

  @Test
  void anObjectMayMoveBetweenApplicationsOfOneCommitButTwoMayNotRenderIt() throws Exception {
    origin.write("deploy/a.yaml", GitSourceTest.app("a", "v1").replace("name: a-settings", "name: shared"))
        .write("deploy/b.yaml", GitSourceTest.app("b", "v1"));
    origin.commit("a renders shared");
    try (GitRepository repo = repository(); GitSource source = source(repo, false)) {
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);

      // b takes the object over in the very commit in which a lets it go: whichever order they are read in
      origin.write("deploy/a.yaml", GitSourceTest.app("a", "v2"))
          .write("deploy/b.yaml", GitSourceTest.app("b", "v2").replace("name: b-settings", "name: shared"));
      origin.commit("shared moves from a to b");
      assertThat(source.sync()).isInstanceOf(SyncResult.Applied.class);

      origin.write("deploy/a.yaml", GitSourceTest.app("a", "v3").replace("name: a-settings", "name: shared"));
      origin.commit("a renders shared again, b still does");
      SyncResult both = source.sync();
      assertThat(both).isInstanceOf(SyncResult.Refused.class);
      assertThat(((SyncResult.Refused) both).reason()).contains("submitted together").contains("shop.a")
          .contains("shop.b");
    }
  }
}
