package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.Validation;
import io.orchestrationplane.policy.ValidatingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kyverno's pod-controller auto-generation: a policy written for Pods also applies to the controllers that
 * create Pods, by rewriting {@code object.spec}/{@code object.metadata} to the pod template's. The object's
 * own {@code metadata.name}/{@code metadata.namespace} are kept, as recent Kyverno does.
 */
public final class Autogen {
  /** Controller kind → [group, resource, template prefix]. */
  public static final Map<String, String[]> CONTROLLERS = Map.of(
      "Deployment", new String[] {"apps", "deployments", "spec.template."},
      "StatefulSet", new String[] {"apps", "statefulsets", "spec.template."},
      "DaemonSet", new String[] {"apps", "daemonsets", "spec.template."},
      "ReplicaSet", new String[] {"apps", "replicasets", "spec.template."},
      "Job", new String[] {"batch", "jobs", "spec.template."},
      "CronJob", new String[] {"batch", "cronjobs", "spec.jobTemplate.spec.template."},
      "ReplicationController", new String[] {"", "replicationcontrollers", "spec.template."});

  /** The controllers Kubernetes-style policies get by default (Kyverno's ValidatingPolicy default). */
  public static final Set<String> DEFAULT_CONTROLLERS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob");

  private static final Pattern ROOT = Pattern.compile(
      "(?<![\\w.$])(object|oldObject)(\\.\\??)(spec\\b|metadata\\b(?!\\s*\\.\\??\\s*(?:name|namespace)\\b))");

  private Autogen() {}

  /** Whether every resource rule of the policy matches only Pods (the condition for autogen). */
  public static boolean appliesTo(ValidatingPolicy policy) {
    List<ResourceRule> rules = policy.matchConstraints().resourceRules();
    return !rules.isEmpty() && rules.stream().allMatch(r -> r.resources().equals(List.of("pods"))
        && (r.apiGroups().contains("") || r.apiGroups().contains("*")));
  }

  /** The policy rewritten for one controller kind. */
  public static ValidatingPolicy rewrite(ValidatingPolicy policy, String controller) {
    String[] c = CONTROLLERS.get(controller);
    String prefix = c[2];
    ValidatingPolicy.Builder b = policy.toBuilder()
        .matchConstraints(rewrite(policy.matchConstraints(), controller))
        .matchConditions(rewriteAll(policy.matchConditions(), prefix))
        .variables(rewriteAll(policy.variables(), prefix))
        .auditAnnotations(rewriteAll(policy.auditAnnotations(), prefix));
    List<Validation> vs = new ArrayList<>();
    for (Validation v : policy.validations()) {
      vs.add(new Validation(rewrite(v.expression(), prefix), v.message(),
          v.messageExpression() == null ? null : rewrite(v.messageExpression(), prefix), v.reason()));
    }
    return b.validations(vs).build();
  }

  /** Match resources with pod rules replaced by rules for the controller. */
  public static MatchResources rewrite(MatchResources m, String controller) {
    return new MatchResources(m.namespaceSelector(), m.objectSelector(), rules(m.resourceRules(), controller),
        rules(m.excludeResourceRules(), controller), m.matchPolicy());
  }

  private static List<ResourceRule> rules(List<ResourceRule> rules, String controller) {
    String[] c = CONTROLLERS.get(controller);
    List<ResourceRule> out = new ArrayList<>();
    for (ResourceRule r : rules) {
      if (r.resources().contains("pods") || r.resources().contains("*")) {
        out.add(new ResourceRule(List.of(c[0]), List.of("*"), List.of(c[1]), r.operations(), r.anyOperation(),
            r.resourceNames(), r.scope()));
      }
    }
    return out;
  }

  private static List<NamedExpression> rewriteAll(List<NamedExpression> list, String prefix) {
    return list.stream().map(n -> new NamedExpression(n.name(), rewrite(n.expression(), prefix))).toList();
  }

  /** Rewrites one expression: {@code object.spec} → {@code object.<prefix>spec}. */
  public static String rewrite(String expression, String prefix) {
    Matcher m = ROOT.matcher(expression);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String sep = m.group(2);
      String path = prefix.replace(".", sep);
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + sep + path + m.group(3)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
