package io.orchestrationplane.benchmarks.gitops;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.gitops.GitRepository;
import io.orchestrationplane.gitops.GitSource;
import io.orchestrationplane.gitops.SyncResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One poll of a Git source whose repository did not change (goal: under 50 ms): a shallow fetch
 * over {@code file://} that transfers no objects (JGit's ref advertisement and negotiation), the
 * ref compared with the commit applied last, nothing read or submitted. The repository holds 20
 * applications in 20 files and 50 commits of history. Score: milliseconds per poll.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class GitPollBenchmark {
  private Path dir;
  private OrchestrationPlane plane;
  private GitRepository repository;
  private GitSource source;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("git-poll-bench");
    Path origin = dir.resolve("origin");
    try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
      git.getRepository().getConfig().setInt("gc", null, "auto", 0); // no background gc racing the directory's removal
      git.getRepository().getConfig().save();
      Files.createDirectories(origin.resolve("deploy"));
      for (int commit = 0; commit < 50; commit++) {
        for (int i = 0; i < 20; i++) {
          Files.writeString(origin.resolve("deploy/app-" + i + ".yaml"), """
              apiVersion: orchestrationplane.io/v1alpha1
              kind: Application
              metadata: {name: app-%d, namespace: shop}
              spec:
                components:
                  - name: settings
                    type: k8s-objects
                    properties:
                      objects:
                        - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings-%d}, data: {commit: "%d"}}
              """.formatted(i, i, commit));
        }
        git.add().addFilepattern(".").call();
        git.commit().setMessage("commit " + commit).setSign(false).call();
      }
    }
    ManualClock clock = ManualClock.create();
    plane = OrchestrationPlane.builder().clock(clock).scheduler(Scheduler.manual(clock)).workers(0)
        .cluster(InMemoryCluster.create("dev")).readinessGates(false).logging(false).build();
    repository = GitRepository.builder(origin.toUri().toString()).directory(dir.resolve("cache")).build();
    source = GitSource.builder("shop", repository, plane).path("deploy").scheduler(Scheduler.manual(clock)).build();
    if (!(source.sync() instanceof SyncResult.Applied)) {
      throw new IllegalStateException("the first sync did not apply: " + source.status().message());
    }
    if (!(source.sync() instanceof SyncResult.Unchanged)) {
      throw new IllegalStateException("a second poll of the same commit is not unchanged: " + source.status().message());
    }
  }

  @Benchmark
  public SyncResult pollUnchanged() {
    return source.sync();
  }

  @TearDown
  public void tearDown() throws Exception {
    source.close();
    repository.close();
    plane.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
