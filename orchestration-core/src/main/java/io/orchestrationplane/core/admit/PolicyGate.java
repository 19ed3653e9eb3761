package io.orchestrationplane.core.admit;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.policy.Admission;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.AppliedMutation;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.EvaluationError;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.UserInfo;
import io.orchestrationplane.policy.ValidationAction;
import io.orchestrationplane.policy.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The admit step of DESIGN.md: every write of a plan goes through the {@link PolicyEngine} as
 * Kubernetes would send it to a ValidatingAdmissionPolicy (CREATE with the desired object,
 * UPDATE with the desired and live objects, DELETE with the live one, each with its namespace
 * object), after the engine's mutating policies have changed the object (the mutated object is
 * what the plan writes, and each mutation is a {@code Mutate} notice). Any Deny stops the plan
 * with an {@link AdmissionDeniedException} listing every violation; Warn and Audit results (and
 * evaluation errors under failurePolicy Ignore) become the plan's {@link PolicyNotice}s. Unchanged
 * objects are not admitted: nothing is written.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.builder().policies(PolicyLoader.load(yaml)).build();
 * OrchestrationPlane plane = OrchestrationPlane.builder().policies(engine)...build();
 * }</pre>
 */
public final class PolicyGate {
  /** Who the plane is in admission requests (a service account, as in a cluster). */
  public static final UserInfo PLANE_USER = new UserInfo("system:serviceaccount:orchestration-plane:orchestration-plane",
      "", List.of("system:serviceaccounts", "system:serviceaccounts:orchestration-plane", "system:authenticated"), Map.of());

  private final PolicyEngine engine;
  private final UserInfo user;

  private PolicyGate(PolicyEngine engine, UserInfo user) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.user = Objects.requireNonNull(user, "user");
  }

  /** A gate that evaluates as {@link #PLANE_USER}. */
  public static PolicyGate of(PolicyEngine engine) {
    return new PolicyGate(engine, PLANE_USER);
  }

  /** A gate that evaluates as another user (the one who asked for the change, say). */
  public static PolicyGate of(PolicyEngine engine, UserInfo user) {
    return new PolicyGate(engine, user);
  }

  public PolicyEngine engine() {
    return engine;
  }

  private volatile @Nullable String fingerprint;

  /**
   * A digest of the policies and bindings this gate evaluates, mutating ones included (and the
   * identity it evaluates as): equal for equal policy sets, in any process. A plan records the fingerprint it was
   * admitted under, and a reviewed plan made under another policy set is not applied.
   */
  public String fingerprint() {
    String f = fingerprint;
    if (f == null) {
      tools.jackson.databind.node.ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.set("policies", describe(engine.policies()));
      root.set("bindings", describe(engine.bindings()));
      // Mutating policies change what a plan writes: a plan admitted under other ones is another plan.
      // Left out when there are none, so that the fingerprint of a validating-only set is unchanged.
      if (!engine.mutatingPolicies().isEmpty() || !engine.mutatingBindings().isEmpty()) {
        root.set("mutatingPolicies", describe(engine.mutatingPolicies()));
        root.set("mutatingBindings", describe(engine.mutatingBindings()));
      }
      root.put("user", user.toString());
      f = io.orchestrationplane.core.resource.ContentHash.of(root);
      fingerprint = f;
    }
    return f;
  }

  // Records serialize to JSON with every component, maps sorted by key, so equal policy sets give
  // equal trees; a value Jackson cannot serialize falls back to its text.
  private static JsonNode describe(Object value) {
    try {
      return io.orchestrationplane.core.resource.Json.JSON.valueToTree(value);
    } catch (RuntimeException e) {
      return tools.jackson.databind.node.StringNode.valueOf(String.valueOf(value));
    }
  }

  /**
   * Admits every write of the plan. Returns the plan with its notices (and the objects mutating
   * policies changed), or throws {@link AdmissionDeniedException} listing every denial; nothing is
   * written either way.
   */
  public Plan admit(Plan plan, Function<String, ClusterDriver> clusters) {
    return admit(plan, clusters, DEFAULT_REDACTOR, java.util.Set.of());
  }

  /** Redacts for {@link #admit(Plan, Function)}: digests comparable within this JVM only. */
  private static final Redactor DEFAULT_REDACTOR = Redactor.random();

  /**
   * Admits every write of the plan, as {@link #admit(Plan, Function)}; policy messages that quote
   * a secret value (Secret data, or one of {@code sensitiveValues}) show {@code redactor}'s digest
   * instead, or are withheld when the value is too short to replace safely. A mutated write keeps
   * its type and differing fields, with the mutated object as its desired object.
   */
  public Plan admit(Plan plan, Function<String, ClusterDriver> clusters, Redactor redactor,
      java.util.Set<String> sensitiveValues) {
    return admit(plan, clusters, redactor, sensitiveValues, PolicyGate::withDesired);
  }

  /** A change whose desired object is {@code mutated}, everything else kept. */
  private static Change withDesired(Change c, Resource mutated) {
    return new Change(c.type(), c.key(), c.environment(), c.component(), mutated, c.liveResourceVersion(), c.diffs(),
        c.wave(), c.live(), c.ignored(), c.comparison());
  }

  /**
   * Admits every write of the plan, as {@link #admit(Plan, Function, Redactor, java.util.Set)}.
   * Mutating policies run first and validation sees their result, as in the API server; when they
   * changed a write's object, {@code remake} is given the planned change and the mutated object and
   * returns the change the plan keeps: the caller recomputes there what the write changes (the
   * application's desired object never holds the mutation, so comparing it alone with the live
   * object would show the mutated fields as drift on every plan). Each mutation is shown as a
   * {@code Mutate} notice whose message is its JSON Patch, with secret values redacted.
   */
  public Plan admit(Plan plan, Function<String, ClusterDriver> clusters, Redactor redactor,
      java.util.Set<String> sensitiveValues, BiFunction<Change, Resource, Change> remake) {
    Objects.requireNonNull(remake, "remake");
    List<Denial> denials = new ArrayList<>();
    List<PolicyNotice> notices = new ArrayList<>(plan.notices());
    Map<ResourceKey, Optional<JsonNode>> namespaces = new HashMap<>();
    List<Change> changes = new ArrayList<>(plan.changes());
    boolean remade = false;
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      if (!change.isWrite()) {
        continue;
      }
      AdmissionRequest request = request(change, namespaceObject(change, plan, clusters, namespaces));
      Admission admission = engine.admit(request);
      Decision decision = admission.decision();
      java.util.Set<String> secrets = new java.util.LinkedHashSet<>(Redactor.secretValues(change.desired(), sensitiveValues));
      secrets.addAll(Redactor.secretValues(change.live(), sensitiveValues));
      if (admission.mutated()) {
        Resource mutated = Resource.of(admission.object());
        // A mutation may add secret data: its patch and any later message are scrubbed of it too.
        secrets.addAll(Redactor.secretValues(mutated, sensitiveValues));
        Change remadeChange = Objects.requireNonNull(remake.apply(change, mutated), "remake returned null");
        changes.set(i, remadeChange);
        remade = true;
        if (!remadeChange.isWrite()) {
          // The live object already is what the mutated write would make it: nothing is written,
          // so nothing is admitted, as for any unchanged object.
          continue;
        }
        for (AppliedMutation m : admission.mutations()) {
          notices.add(new PolicyNotice(change.key(), m.policy(), "Mutate",
              redact(redactor, m.patch().toString(), secrets)));
        }
      }
      for (Violation v : decision.violations()) {
        if (v.denies()) {
          denials.add(new Denial(change.key(), change.environment(), change.component(), v.policy(), v.binding(),
              redact(redactor, v.message(), secrets)));
        } else {
          for (ValidationAction action : ValidationAction.values()) { // enum order: plans stay deterministic
            if (action == ValidationAction.DENY || !v.actions().contains(action)) {
              continue;
            }
            notices.add(new PolicyNotice(change.key(), v.policy(), action == ValidationAction.WARN ? "Warn" : "Audit",
                redact(redactor, v.message(), secrets)));
          }
        }
      }
      for (EvaluationError e : decision.errors()) {
        if (decision.violations().stream().noneMatch(v -> v.error() && v.policy().equals(e.policy()))) {
          notices.add(new PolicyNotice(change.key(), e.policy(), "Error", e.field() + ": " + redact(redactor, e.message(), secrets)
              + " (failurePolicy " + e.failurePolicy() + ")"));
        }
      }
    }
    if (!denials.isEmpty()) {
      throw AdmissionDeniedException.of(plan.application(), denials);
    }
    return (remade ? plan.withChanges(changes) : plan).admitted(notices, fingerprint());
  }

  private static String redact(Redactor redactor, @Nullable String message, java.util.Set<String> secrets) {
    return redactor.scrub(message == null ? "" : message, secrets,
        "(message withheld: it could quote a secret value of the object)");
  }

  private AdmissionRequest request(Change change, @Nullable JsonNode namespaceObject) {
    Operation op = switch (change.type()) {
      case CREATE -> Operation.CREATE;
      case UPDATE -> Operation.UPDATE;
      case DELETE -> Operation.DELETE;
      default -> throw new IllegalArgumentException("only writes are admitted, not " + change.type());
    };
    AdmissionRequest.Builder b = AdmissionRequest.builder(op).userInfo(user).namespaceObject(namespaceObject);
    if (!change.key().namespace().isEmpty()) {
      b.namespace(change.key().namespace());
    }
    if (change.desired() != null) {
      b.object(change.desired().json());
    }
    if (change.live() != null && op != Operation.CREATE) {
      b.oldObject(change.live().json());
    }
    return b.build();
  }

  /** The Namespace object of the change's namespace: live, or desired by the same plan. */
  private static @Nullable JsonNode namespaceObject(Change change, Plan plan, Function<String, ClusterDriver> clusters,
      Map<ResourceKey, Optional<JsonNode>> cache) {
    String ns = change.key().namespace();
    if (ns.isEmpty()) {
      return null;
    }
    ResourceKey key = ResourceKey.of(change.key().cluster(), "", "Namespace", null, ns);
    return cache.computeIfAbsent(key, k -> {
      Optional<Change> planned = plan.change(k).filter(c -> c.desired() != null);
      if (planned.isPresent()) {
        return Optional.of(planned.get().desired().json());
      }
      try {
        return clusters.apply(k.cluster()).get(k).map(Resource::json);
      } catch (ClusterException e) {
        return Optional.empty();
      }
    }).orElse(null);
  }
}
