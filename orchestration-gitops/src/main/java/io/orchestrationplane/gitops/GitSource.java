package io.orchestrationplane.gitops;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.gitops.internal.DesiredSetSync;
import io.orchestrationplane.gitops.internal.ManifestReader;
import io.orchestrationplane.gitops.internal.Poller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the plane's applications equal to a directory of a Git repository (Argo CD's
 * Application source, Flux's GitRepository + Kustomization): each sync fetches the followed ref
 * and, when its commit changed, reads the directory's Application documents (through the plane's
 * loader, so every problem is reported with its file and line) and plain Kubernetes manifests
 * (one application of type {@code k8s-objects}), submits them to continuous mode with the commit
 * as their {@link Origin.GitCommit origin}, and removes the applications it submitted earlier that
 * the commit no longer holds, through the {@link PruneGuard}.
 *
 * <pre>{@code
 * GitSource shop = GitSource.builder("shop", repository, plane)
 *     .path("deploy/shop")
 *     .interval(Duration.ofMinutes(3))
 *     .build();
 * shop.start();                 // polls on the scheduler
 * shop.sync();                  // now, e.g. from a webhook handler
 * shop.status().appliedCommit(); // id, author, message of the commit running
 * }</pre>
 *
 * <p>A commit is applied whole or not at all: an unreachable repository, a commit refused by
 * signature verification, or a directory with one invalid document submits and removes nothing,
 * and status says why. What was applied before keeps running.
 *
 * <p>Thread-safe: syncs are serialized. It does not own the repository or the plane. It
 * remembers what it submitted in memory only: after a restart it removes nothing until it has
 * submitted an application again.
 */
public final class GitSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitSource.class);

  private final String name;
  private final GitRepository repository;
  private final OrchestrationPlane plane;
  private final String path;
  private final boolean recurse;
  private final String manifestsName;
  private final String manifestsNamespace;
  private final DesiredSetSync desired;
  private final Poller poller;
  private final @Nullable Scheduler ownScheduler;

  private @Nullable GitCommitInfo seen;
  private @Nullable GitCommitInfo applied;
  private @Nullable String evaluated;
  private @Nullable SyncResult last;
  private @Nullable SyncResult lastEvaluation;
  /** Set by an evaluation the plane refused: its answer depends on the plane, so it is not kept. */
  private boolean planeRefused;
  private java.time.@Nullable Instant lastSync;
  private String message = "not synced yet";
  /** Set while the applied commit is older than the one applied before it (a force-push back). */
  private @Nullable String rewritten;

  private GitSource(Builder b) {
    this.name = b.name;
    this.repository = b.repository;
    this.plane = b.plane;
    this.path = b.path;
    this.recurse = b.recurse;
    this.manifestsName = b.manifestsName == null ? b.name : b.manifestsName;
    this.manifestsNamespace = b.manifestsNamespace;
    Subject subject = b.subject == null ? Subject.of("gitops:" + b.name) : b.subject;
    this.desired = new DesiredSetSync(plane, subject, b.driftPolicy, b.guard);
    this.ownScheduler = b.scheduler == null ? Scheduler.threaded("gitops-" + b.name) : null;
    Scheduler scheduler = b.scheduler == null ? ownScheduler : b.scheduler;
    this.poller = new Poller("Git source " + b.name, scheduler, b.interval, this::sync);
  }

  /**
   * A builder of a source named {@code name} (a DNS label: it names the plain-manifest application
   * and the subject the plane acts for) reading {@code repository} into {@code plane}.
   */
  public static Builder builder(String name, GitRepository repository, OrchestrationPlane plane) {
    return new Builder(name, repository, plane);
  }

  public String name() {
    return name;
  }

  /** Starts polling: a sync now, then one every interval. */
  public void start() {
    poller.start();
  }

  /** Syncs now (what a webhook handler calls on a push). */
  public SyncResult sync() {
    return sync(false);
  }

  /**
   * Syncs now and removes the applications gone from the source even when the {@link PruneGuard}
   * would hold their removal: a person confirmed the prune.
   */
  public SyncResult syncConfirmingPrune() {
    return sync(true);
  }

  private synchronized SyncResult sync(boolean confirmPrune) {
    lastSync = plane.clock().instant();
    GitCommitInfo before = applied;
    SyncResult result;
    try {
      result = attempt(confirmPrune);
    } catch (GitException e) {
      result = new SyncResult.Failed(e.getMessage() + "; nothing was applied or removed");
    } catch (RuntimeException e) {
      // never quoted raw: it may come from a library that saw a credential
      result = new SyncResult.Failed(repository.scrub(String.valueOf(e.getMessage())) + " ("
          + e.getClass().getSimpleName() + "); nothing was applied or removed");
    }
    last = result;
    String previousMessage = message;
    message = (seen == null ? "" : "commit " + seen + ": ") + (result instanceof SyncResult.Unchanged
        && lastEvaluation != null ? "unchanged since it was " + lastEvaluation.describe() : result.describe());
    // a force-push back to an older commit is followed, but never silently
    boolean older = result instanceof SyncResult.Applied && before != null && applied != null
        && !applied.id().equals(before.id()) && applied.time().isBefore(before.time());
    if (older) {
      rewritten = " (older than the commit applied before, " + before.shortId() + " of " + before.time()
          + ": the history was rewritten)";
    } else if (applied != before) {
      rewritten = null;
    }
    if (rewritten != null) {
      message += rewritten;
    }
    if (!message.equals(previousMessage) && !(result instanceof SyncResult.Unchanged)) {
      if (result instanceof SyncResult.Applied a && a.held().isEmpty() && a.failed().isEmpty() && !older) {
        LOG.info("Git source {}: {}", name, message);
      } else {
        LOG.warn("Git source {}: {}", name, message);
      }
    }
    return result;
  }

  private SyncResult attempt(boolean confirmPrune) {
    GitSnapshot snapshot = repository.fetch();
    GitCommitInfo commit = snapshot.commit();
    seen = commit;
    if (commit.id().equals(evaluated) && !confirmPrune && lastEvaluation != null) {
      if (lastEvaluation instanceof SyncResult.Refused) {
        return lastEvaluation; // the same commit is refused for the same reason: not read again
      }
      if (lastEvaluation instanceof SyncResult.Applied a && a.held().isEmpty() && a.failed().isEmpty()) {
        return new SyncResult.Unchanged();
      }
      // held removals or refused submissions: try again
    }
    planeRefused = false;
    SyncResult result = evaluate(snapshot, commit, confirmPrune);
    evaluated = commit.id();
    lastEvaluation = planeRefused ? null : result;
    return result;
  }

  private SyncResult evaluate(GitSnapshot snapshot, GitCommitInfo commit, boolean confirmPrune) {
    if (commit.verification() instanceof Verification.Refused r) {
      return new SyncResult.Refused(r.reason() + "; nothing was applied or removed");
    }
    Optional<List<GitFile>> files = snapshot.files(path, recurse);
    Map<String, DesiredSetSync.Desired> apps = new LinkedHashMap<>();
    if (files.isPresent()) {
      ManifestReader.Result read = ManifestReader.read(plane, path, files.get(), manifestsName, manifestsNamespace);
      if (!read.problems().isEmpty()) {
        return new SyncResult.Refused("commit " + commit.shortId() + " cannot be applied ("
            + read.problems().size() + (read.problems().size() == 1 ? " problem" : " problems") + "): "
            + String.join("; ", read.problems()) + "; nothing was applied or removed");
      }
      for (ManifestReader.Read r : read.applications().values()) {
        apps.put(r.application().id(), new DesiredSetSync.Desired(r.application(),
            commit.origin(repository.url(), r.path())));
      }
    }
    SyncResult synced = desired.sync(apps, confirmPrune);
    if (synced instanceof SyncResult.Refused r) {
      planeRefused = true; // the plane's state decides (another application's objects, access): try again next time
      return new SyncResult.Refused("commit " + commit.shortId() + " cannot be applied: " + r.reason());
    }
    SyncResult.Applied result = (SyncResult.Applied) synced;
    if (files.isEmpty() && !result.held().isEmpty()) {
      result = new SyncResult.Applied(result.submitted(), result.removed(), result.held(),
          "path '" + path + "' does not exist at commit " + commit.shortId() + "; " + result.holdReason(),
          result.failed());
    }
    applied = commit;
    return result;
  }

  /** What the last sync did, the commits seen and applied, and the applications owned. */
  public synchronized SyncStatus status() {
    return new SyncStatus(name, Optional.ofNullable(lastSync), Optional.ofNullable(last), Optional.ofNullable(seen),
        Optional.ofNullable(applied), desired.owned(), desired.held(), message);
  }

  /** Stops polling. The applications stay submitted; the repository and plane stay open. */
  @Override
  public void close() {
    poller.close();
    if (ownScheduler != null) {
      ownScheduler.close();
    }
  }

  @Override
  public String toString() {
    return "GitSource[" + name + " " + repository + (path.isEmpty() ? "" : " " + path) + "]";
  }

  /** Builds a {@link GitSource}. */
  public static final class Builder {
    private final String name;
    private final GitRepository repository;
    private final OrchestrationPlane plane;
    private String path = "";
    private boolean recurse;
    private @Nullable String manifestsName;
    private String manifestsNamespace = "default";
    private @Nullable Subject subject;
    private DriftPolicy driftPolicy = DriftPolicy.CORRECT;
    private PruneGuard guard = PruneGuard.defaults();
    private Duration interval = Duration.ofMinutes(3);
    private @Nullable Scheduler scheduler;

    private Builder(String name, GitRepository repository, OrchestrationPlane plane) {
      Objects.requireNonNull(name, "name");
      String problem = Names.dnsLabelProblem(name);
      if (problem != null) {
        throw new IllegalArgumentException("invalid Git source name: " + problem);
      }
      this.name = name;
      this.repository = Objects.requireNonNull(repository, "repository");
      this.plane = Objects.requireNonNull(plane, "plane");
    }

    /** The directory to read ({@code deploy/shop}); default the repository root. */
    public Builder path(String value) {
      this.path = GitSnapshot.normalize(value);
      return this;
    }

    /** Read subdirectories too (Argo CD's {@code directory.recurse}); default false. */
    public Builder recurse(boolean value) {
      this.recurse = value;
      return this;
    }

    /** Name and namespace of the application holding the directory's plain manifests; default the source's name in {@code default}. */
    public Builder manifestsApplication(String namespace, String applicationName) {
      this.manifestsNamespace = Objects.requireNonNull(namespace, "namespace");
      this.manifestsName = Objects.requireNonNull(applicationName, "applicationName");
      return this;
    }

    /** Who the plane acts for; default {@code gitops:<name>}. */
    public Builder subject(Subject value) {
      this.subject = Objects.requireNonNull(value, "subject");
      return this;
    }

    /** Drift policy of the submitted applications; default {@code CORRECT}. */
    public Builder driftPolicy(DriftPolicy value) {
      this.driftPolicy = Objects.requireNonNull(value, "driftPolicy");
      return this;
    }

    /** The prune circuit breaker; default {@link PruneGuard#defaults()}. */
    public Builder pruneGuard(PruneGuard value) {
      this.guard = Objects.requireNonNull(value, "pruneGuard");
      return this;
    }

    /** How often {@link #start() polling} syncs; default 3 minutes (Argo CD's). */
    public Builder interval(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("a poll interval must be positive, was " + value);
      }
      this.interval = value;
      return this;
    }

    /** The scheduler polls run on: give the plane's ({@code Scheduler.manual(clock)} in tests); default a thread of its own. */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public GitSource build() {
      return new GitSource(this);
    }
  }
}
