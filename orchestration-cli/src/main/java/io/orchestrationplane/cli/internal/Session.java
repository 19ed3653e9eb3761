package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.k8s.KubernetesClusters;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plane one run drives, built from the target options: embedded in-memory clusters (named by
 * {@code --cluster}, or after the clusters the application's placements name) or the contexts
 * of a kubeconfig; a state directory or an in-memory store; the admission policies. Closing it
 * closes the plane, the Kubernetes drivers and the state store.
 */
final class Session implements AutoCloseable {
  /** The embedded cluster's name when nothing names one. */
  static final String DEFAULT_CLUSTER = "in-memory";
  private static final StateKey REDACTION_KEY = StateKey.of("cli", "redaction-key");

  private final OrchestrationPlane plane;
  private final @Nullable StateStore store;
  private final List<ClusterDriver> drivers;
  private final Subject subject;

  private Session(OrchestrationPlane plane, @Nullable StateStore store, List<ClusterDriver> drivers, Subject subject) {
    this.plane = plane;
    this.store = store;
    this.drivers = drivers;
    this.subject = subject;
  }

  OrchestrationPlane plane() {
    return plane;
  }

  Subject subject() {
    return subject;
  }

  /** A session whose embedded clusters are those the applications place on. */
  static Session open(TargetOptions target, Io io, List<AppFile.PolicyFile> policies, List<Application> apps) {
    StateStore store = openStore(target);
    try {
      return build(target, io, policies, apps, store);
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  /**
   * A session for an application known only by id: its clusters are those its kept revisions place
   * on (needs {@code --state}, where the revisions are).
   */
  static Session forRevisions(TargetOptions target, Io io, List<AppFile.PolicyFile> policies, String applicationId) {
    // A state directory that does not exist keeps no revisions: reading it must not create it
    // (history, diff and a refused rollback write nothing), so it is read as an empty store.
    StateStore store = target.state != null && !Files.exists(target.state) ? null : openStore(target);
    try {
      List<Application> models = new ArrayList<>();
      if (store != null && !target.kubernetes() && target.clusters.isEmpty()) {
        try (OrchestrationPlane reader = OrchestrationPlane.builder().stateStore(store).logging(false).build()) {
          reader.history(applicationId).forEach(r -> models.add(r.model()));
        }
      }
      return build(target, io, policies, models, store);
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  private static @Nullable StateStore openStore(TargetOptions target) {
    if (target.state == null) {
      return null;
    }
    if (Files.exists(target.state) && !Files.isDirectory(target.state)) {
      throw CliException.invalid("--state " + Paths.display(target.state) + " is not a directory");
    }
    return StateStore.directory(target.state);
  }

  private static Session build(TargetOptions target, Io io, List<AppFile.PolicyFile> policies, List<Application> apps,
      @Nullable StateStore store) {
    Subject subject;
    try {
      subject = Subject.of(target.subject != null ? target.subject : System.getProperty("user.name", "orchestrate"));
    } catch (IllegalArgumentException e) {
      throw CliException.invalid("--as: " + e.getMessage());
    }
    OrchestrationPlane.Builder b = OrchestrationPlane.builder().clock(io.clock()).logging(false).subject(subject);
    if (store != null) {
      b.stateStore(store).redactionKey(redactionKey(store));
    }
    PolicyEngine.Builder engine = PolicyEngine.builder();
    if (target.kubernetesVersion != null) { // checked with or without policies: a bad value is never ignored
      try {
        engine.kubernetesVersion(target.kubernetesVersion);
      } catch (IllegalArgumentException e) {
        throw CliException.invalid("--kubernetes-version: " + e.getMessage());
      }
    }
    if (!policies.isEmpty()) {
      PolicySet set = PolicySet.empty();
      for (AppFile.PolicyFile f : policies) {
        set = set.plus(f.policies());
      }
      warnOfUnboundBindings(set, io);
      try {
        b.policies(engine.policies(set).build());
      } catch (PolicyCompileException e) {
        throw e; // each problem at its policy's file and line
      } catch (IllegalArgumentException e) {
        throw CliException.invalid("--policy: " + e.getMessage());
      }
    }
    Map<String, Map<String, String>> labels = labels(target.clusters);
    List<ClusterDriver> drivers = new ArrayList<>();
    if (target.kubernetes()) {
      Path kubeconfig = target.kubeconfig != null ? target.kubeconfig : defaultKubeconfig();
      ClusterRegistry registry;
      try {
        KubernetesClusters.Builder k = KubernetesClusters.builder().clock(io.clock()).labels(labels);
        registry = (target.contexts.isEmpty() ? k.kubeconfig(kubeconfig) : k.kubeconfig(kubeconfig, target.contexts)).build();
      } catch (IllegalArgumentException e) {
        throw CliException.invalid(e.getMessage() == null ? "invalid kubeconfig" : e.getMessage());
      }
      registry.entries().forEach(e -> drivers.add(e.driver()));
      b.clusters(registry);
    } else {
      Set<String> names = new LinkedHashSet<>(labels.keySet());
      if (names.isEmpty()) {
        for (Application app : apps) {
          for (Environment e : app.environments()) {
            names.addAll(e.placement().clusters());
          }
        }
      }
      if (names.isEmpty()) {
        names.add(DEFAULT_CLUSTER);
      }
      for (String name : names) {
        b.cluster(InMemoryCluster.builder(name).clock(io.clock()).build(), labels.getOrDefault(name, Map.of()));
      }
    }
    try {
      return new Session(b.build(), store, drivers, subject);
    } catch (RuntimeException e) {
      drivers.forEach(Session::closeQuietly);
      throw e;
    }
  }

  /** {@code prod:tier=prod,region=eu} → prod → {tier=prod, region=eu}. */
  static Map<String, Map<String, String>> labels(List<String> specs) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int colon = spec.indexOf(':');
      String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
      if (name.isEmpty()) {
        throw CliException.invalid("--cluster '" + spec + "': the cluster name is missing");
      }
      Map<String, String> l = new LinkedHashMap<>();
      if (colon >= 0 && colon < spec.length() - 1) {
        for (String pair : spec.substring(colon + 1).split(",")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw CliException.invalid("--cluster '" + spec + "': '" + pair + "' is not LABEL=VALUE");
          }
          l.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
      if (out.put(name, Map.copyOf(l)) != null) {
        throw CliException.invalid("--cluster '" + name + "' is given twice");
      }
    }
    return out;
  }

  private static Path defaultKubeconfig() {
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isBlank()) {
      return Path.of(env.split(java.io.File.pathSeparator)[0]);
    }
    return Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  /**
   * The plane's redaction key, kept in the state directory: secret values show as the same keyed
   * digests in every run, so a plan written by one run compares equal in the next.
   */
  private static byte[] redactionKey(StateStore store) {
    Optional<StateEntry> entry = store.get(REDACTION_KEY);
    if (entry.isEmpty()) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      ObjectNode value = Json.object();
      value.put("format", 1);
      value.put("key", Base64.getEncoder().encodeToString(key));
      store.create(REDACTION_KEY, value);
      entry = store.get(REDACTION_KEY);
    }
    String encoded = entry.orElseThrow().value().path("key").asString("");
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length < 16) {
        throw new IllegalArgumentException("too short");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new io.orchestrationplane.core.state.CorruptStateException(
          "the CLI's redaction key is not base64 of at least 16 bytes", REDACTION_KEY, REDACTION_KEY.toString(), null);
    }
  }

  private static void closeQuietly(ClusterDriver d) {
    try {
      d.close();
    } catch (Exception ignored) {
      // closing a connection that failed to open: nothing more to do
    }
  }

  @Override
  public void close() {
    plane.close();
    drivers.forEach(Session::closeQuietly);
    if (store != null) {
      store.close();
    }
  }

  /**
   * Says on stderr which bindings name a policy no {@code --policy} file holds: the engine ignores
   * them, as Kubernetes does ("considered invalid and will be ignored"), and a run that ignores a
   * binding should not do so silently (a misspelt policy name would otherwise go unnoticed).
   */
  private static void warnOfUnboundBindings(PolicySet set, Io io) {
    java.util.Set<String> validating = new java.util.HashSet<>();
    set.policies().forEach(p -> validating.add(p.name()));
    java.util.Set<String> mutating = new java.util.HashSet<>();
    set.mutatingPolicies().forEach(p -> mutating.add(p.name()));
    for (var binding : set.bindings()) {
      if (!validating.contains(binding.policyName())) {
        io.err().println("orchestrate: warning: --policy: binding '" + binding.name() + "' refers to policy '"
            + binding.policyName() + "', which no --policy file holds: it is ignored, as Kubernetes ignores it");
      }
    }
    for (var binding : set.mutatingBindings()) {
      if (!mutating.contains(binding.policyName())) {
        io.err().println("orchestrate: warning: --policy: mutating binding '" + binding.name() + "' refers to policy '"
            + binding.policyName() + "', which no --policy file holds: it is ignored, as Kubernetes ignores it");
      }
    }
  }
}
