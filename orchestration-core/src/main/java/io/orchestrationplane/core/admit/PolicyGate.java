package io.orchestrationplane.core.admit;

import io.orchestrationplane.core.ContentHash;
import io.orchestrationplane.core.Resource;
import io.orchestrationplane.core.ResourceKey;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.spi.ClusterDriver;
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
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The admit step of DESIGN.md: every write of a plan goes through the {@link PolicyEngine} as
 * Kubernetes would send it to a ValidatingAdmissionPolicy (CREATE with the desired object,
 * UPDATE with the desired and live objects, DELETE with the live one, each with its namespace
 * object), after the engine's mutating policies have changed the object (the mutated object is what the
 * plan writes, and each mutation is a {@code Mutate} notice). Any Deny stops the plan with an {@link AdmissionDeniedException} listing every
 * violation; Warn and Audit results (and evaluation errors under failurePolicy Ignore) become
 * the plan's {@link PolicyNotice}s. Unchanged objects are not admitted: nothing is written.
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

  /**
   * Admits every write of the plan. Returns the plan with its notices, or throws
   * {@link AdmissionDeniedException} listing every denial; nothing is written either way.
   */
  public Plan admit(Plan plan, Function<String, ClusterDriver> clusters) {
    List<String> denials = new ArrayList<>();
    List<PolicyNotice> notices = new ArrayList<>(plan.notices());
    Map<ResourceKey, Optional<JsonNode>> namespaces = new HashMap<>();
    List<Change> changes = new ArrayList<>(plan.changes());
    for (Change change : plan.writes()) {
      AdmissionRequest request = request(change, namespaceObject(change, plan, clusters, namespaces));
      // Mutating policies run first and validation sees their result, as in the API server; the mutated
      // object replaces the desired one and each mutation is shown in the plan as a Mutate notice.
      Admission admission = engine.admit(request);
      Decision decision = admission.decision();
      if (admission.mutated()) {
        Change mutated = new Change(change.type(), change.key(), change.environment(), change.component(),
            Resource.of(admission.object()), change.liveResourceVersion(), change.diffs(), change.wave(), change.live());
        changes.set(changes.indexOf(change), mutated);
        List<String> secrets = secretValues(mutated);
        for (AppliedMutation m : admission.mutations()) {
          notices.add(new PolicyNotice(change.key(), m.policy(), "Mutate", redact(m.patch().toString(), secrets)));
        }
      }
      String where = change.key().display() + " (cluster " + change.key().cluster() + ")";
      List<String> secrets = secretValues(change);
      for (Violation v : decision.violations()) {
        if (v.denies()) {
          denials.add(where + ": " + redact(v.toString(), secrets));
        } else {
          for (ValidationAction action : ValidationAction.values()) { // enum order: plans stay deterministic
            if (action == ValidationAction.DENY || !v.actions().contains(action)) {
              continue;
            }
            notices.add(new PolicyNotice(change.key(), v.policy(), action == ValidationAction.WARN ? "Warn" : "Audit",
                redact(v.message(), secrets)));
          }
        }
      }
      for (EvaluationError e : decision.errors()) {
        if (decision.violations().stream().noneMatch(v -> v.error() && v.policy().equals(e.policy()))) {
          notices.add(new PolicyNotice(change.key(), e.policy(), "Error", e.field() + ": " + redact(e.message(), secrets)
              + " (failurePolicy " + e.failurePolicy() + ")"));
        }
      }
    }
    if (!denials.isEmpty()) {
      throw new AdmissionDeniedException(plan.application(), denials);
    }
    if (notices.isEmpty()) {
      return plan;
    }
    return new Plan(plan.application(), changes, plan.problems(), notices);
  }

  /**
   * The values of a Secret's data (as written, and base64-decoded) and stringData, desired and
   * live: a policy's message may quote them, and they must not reach plans, status or events.
   */
  private static List<String> secretValues(Change change) {
    if (!change.key().kind().equals("Secret") || !change.key().group().isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Resource r : new Resource[] {change.desired(), change.live()}) {
      if (r == null) {
        continue;
      }
      for (String field : List.of("data", "stringData")) {
        for (Map.Entry<String, JsonNode> e : r.json().path(field).properties()) {
          String value = e.getValue().asString("");
          if (value.length() >= 3) {
            out.add(value);
          }
          if (field.equals("data")) {
            try {
              String decoded = new String(java.util.Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8);
              if (decoded.length() >= 3) {
                out.add(decoded);
              }
            } catch (IllegalArgumentException notBase64) {
              // as written only
            }
          }
        }
      }
    }
    out.sort((a, b) -> b.length() - a.length()); // longest first, so no value is half replaced
    return out;
  }

  private static String redact(String message, List<String> secrets) {
    String out = message == null ? "" : message;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, ContentHash.redact(tools.jackson.databind.node.StringNode.valueOf(secret)));
      }
    }
    return out;
  }

  private AdmissionRequest request(Change change, JsonNode namespaceObject) {
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
  private static JsonNode namespaceObject(Change change, Plan plan, Function<String, ClusterDriver> clusters,
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
