package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.Doc;
import io.orchestrationplane.policy.internal.GatekeeperImport;
import io.orchestrationplane.policy.internal.KyvernoImport;
import io.orchestrationplane.policy.internal.Loaded;
import io.orchestrationplane.policy.internal.VapImport;
import io.orchestrationplane.policy.internal.Yaml;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.JsonNodeException;

/**
 * Reads policies from YAML (multi-document) into the engine's model:
 * <ul>
 *   <li>{@code admissionregistration.k8s.io} ValidatingAdmissionPolicy, MutatingAdmissionPolicy and their
 *       bindings;</li>
 *   <li>Kyverno {@code policies.kyverno.io} ValidatingPolicy (with a binding from its validationActions) and
 *       MutatingPolicy (admission-time mutations);</li>
 *   <li>Kyverno {@code kyverno.io} ClusterPolicy/Policy rules with {@code validate.cel} (one policy per rule,
 *       named {@code policy/rule});</li>
 *   <li>Gatekeeper ConstraintTemplates with the {@code K8sNativeValidation} engine (one policy per template,
 *       named after its constraint kind, compiled once) and their Constraints (one binding per constraint, named
 *       {@code Kind/constraint}, matched and parameterised with Gatekeeper's semantics).</li>
 * </ul>
 * A document the engine cannot run (a Rego-only template, a Kyverno rule without {@code validate.cel}, an
 * unknown kind) never fails the load: it is returned in {@link PolicySet#skipped()} with the reason and logged.
 * Malformed documents fail with an {@link IllegalArgumentException} naming the document index and field.
 *
 * <pre>{@code
 * PolicySet set = PolicyLoader.load(Files.readString(Path.of("policies.yaml")));
 * set.skipped().forEach(s -> log.warn("not enforced: {}", s));
 * }</pre>
 */
public final class PolicyLoader {
  /** Gatekeeper's admission webhook, the enforcement point this loader stands for unless told otherwise. */
  public static final String WEBHOOK_ENFORCEMENT_POINT = "validation.gatekeeper.sh";
  /** Gatekeeper's shift-left CLI enforcement point, used by {@link GatorSuite}. */
  public static final String GATOR_ENFORCEMENT_POINT = "gator.gatekeeper.sh";

  private final KindMapping kinds;
  private final String enforcementPoint;
  private final Set<Operation> gatekeeperOperations;

  private PolicyLoader(KindMapping kinds, String enforcementPoint, Set<Operation> gatekeeperOperations) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.enforcementPoint = Objects.requireNonNull(enforcementPoint, "enforcementPoint");
    this.gatekeeperOperations = Set.copyOf(gatekeeperOperations);
    if (gatekeeperOperations.isEmpty()) {
      throw new IllegalArgumentException("gatekeeperOperations must name at least one operation");
    }
  }

  /** A loader resolving Kyverno kinds with {@code kinds}. */
  public static PolicyLoader using(KindMapping kinds) {
    return new PolicyLoader(kinds, WEBHOOK_ENFORCEMENT_POINT, EnumSet.of(Operation.CREATE, Operation.UPDATE));
  }

  /** Loads with the default {@link KindMapping}. */
  public static PolicySet load(String yaml) {
    return using(KindMapping.defaults()).read(yaml);
  }

  /**
   * The Gatekeeper enforcement point this engine stands for when a constraint says
   * {@code enforcementAction: scoped} (default {@value #WEBHOOK_ENFORCEMENT_POINT}); constraints whose
   * {@code scopedEnforcementActions} do not name it (or {@code *}) are skipped.
   */
  public PolicyLoader enforcementPoint(String point) {
    if (point == null || point.isBlank()) {
      throw new IllegalArgumentException("enforcementPoint must not be blank");
    }
    return new PolicyLoader(kinds, point, gatekeeperOperations);
  }

  /**
   * The operations Gatekeeper constraints are evaluated on, as Gatekeeper's webhook configuration sets them:
   * CREATE and UPDATE by default; add DELETE and CONNECT when the webhook is configured for them (gator
   * evaluates every operation).
   */
  public PolicyLoader gatekeeperOperations(Set<Operation> operations) {
    return new PolicyLoader(kinds, enforcementPoint, operations);
  }

  /** Reads every supported document of a YAML stream. */
  public PolicySet read(String yaml) {
    return read(Yaml.readAll(yaml));
  }

  /** Reads already-parsed documents. */
  public PolicySet read(List<JsonNode> docs) {
    Loaded out = new Loaded();
    KyvernoImport kyverno = new KyvernoImport(kinds);
    GatekeeperImport gatekeeper = new GatekeeperImport(enforcementPoint, gatekeeperOperations);
    for (int i = 0; i < docs.size(); i++) {
      Doc doc = new Doc(i, docs.get(i));
      try {
        String group = doc.group();
        if (group.equals("admissionregistration.k8s.io")) {
          if (!VapImport.read(doc, out)) {
            out.skip(doc.skipped("", "unsupported admissionregistration kind " + doc.kind()));
          }
        } else if (group.equals("policies.kyverno.io") || group.equals("kyverno.io")) {
          kyverno.read(doc, out);
        } else if (group.equals("templates.gatekeeper.sh") || group.equals("constraints.gatekeeper.sh")) {
          gatekeeper.read(doc, out);
        } else {
          out.skip(doc.skipped("", "not a policy document (apiVersion '" + doc.apiVersion() + "')"));
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(doc + ": " + e.getMessage(), e);
      } catch (JsonNodeException e) {
        // a field the importers read as text without naming it holds a list or an object
        throw new IllegalArgumentException(doc + ": a list or an object where a single value is expected", e);
      }
    }
    gatekeeper.finish(out);
    return out.toSet();
  }
}
