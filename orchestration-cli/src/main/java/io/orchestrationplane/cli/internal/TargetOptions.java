package io.orchestrationplane.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where a command plans and applies: embedded clusters or kubeconfig contexts, state and policies. */
final class TargetOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Target the contexts of this kubeconfig (each context is a cluster named after it) instead of embedded in-memory clusters.")
  @Nullable Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Only this kubeconfig context (repeatable). Without --kubeconfig: $KUBECONFIG or ~/.kube/config.")
  List<String> contexts = new ArrayList<>();

  @Option(names = "--cluster", paramLabel = "NAME[:LABEL=VALUE,...]",
      description = "An embedded in-memory cluster with placement labels (repeatable); with --kubeconfig, labels for that context. "
          + "Default: one embedded cluster per cluster name the application's placements use (or one named 'in-memory').")
  List<String> clusters = new ArrayList<>();

  @Option(names = "--state", paramLabel = "DIR",
      description = "Keep revisions (and the redaction key) in this directory across runs (StateStore.directory). Default: in memory, gone after the run.")
  @Nullable Path state;

  @Option(names = "--policy", paramLabel = "FILE|DIR",
      description = "Admission policies (ValidatingAdmissionPolicy, MutatingAdmissionPolicy, Kyverno, Gatekeeper) checked on every planned write (repeatable).")
  List<Path> policies = new ArrayList<>();

  @Option(names = "--kubernetes-version", paramLabel = "X.Y",
      description = "The Kubernetes version whose CEL environment policies are evaluated in (default: the engine's).")
  @Nullable String kubernetesVersion;

  @Option(names = "--as", paramLabel = "NAME", description = "Who acts, as recorded in revisions (default: the OS user).")
  @Nullable String subject;

  /** True when a kubeconfig is targeted (given, or implied by --context). */
  boolean kubernetes() {
    return kubeconfig != null || !contexts.isEmpty();
  }
}
