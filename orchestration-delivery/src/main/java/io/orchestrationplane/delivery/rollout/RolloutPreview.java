package io.orchestrationplane.delivery.rollout;

import io.orchestrationplane.core.plan.Plan;
import java.util.List;
import java.util.Objects;

/**
 * What a rollout of a change would go through: its strategy, the steps, and the plane's plan of
 * the first moment (stable and canary side by side at the first weight, with the route).
 *
 * @param spec the declared strategy
 * @param steps the steps as text
 * @param firstRelease true when nothing runs yet: the change is applied at once, without steps
 * @param firstStep the plane's plan of the first moment
 */
public record RolloutPreview(RolloutSpec spec, List<String> steps, boolean firstRelease, Plan firstStep) {
  public RolloutPreview {
    Objects.requireNonNull(spec, "spec");
    steps = List.copyOf(steps);
    Objects.requireNonNull(firstStep, "firstStep");
  }

  /** The steps, then the first moment's plan. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    String strategy = spec.strategy() instanceof RolloutSpec.Canary ? "canary" : "blue-green";
    String traffic;
    if (spec.traffic() instanceof RolloutSpec.Traffic.GatewayApi g) {
      traffic = "Gateway API HTTPRoute " + RolloutSpec.routeName(spec.component()) + " on gateway " + g.gateway();
    } else if (spec.traffic() instanceof RolloutSpec.Traffic.Istio) {
      traffic = "Istio VirtualService " + RolloutSpec.routeName(spec.component());
    } else {
      traffic = spec.strategy() instanceof RolloutSpec.BlueGreen ? "active and preview Services"
          : "replica ratios (no traffic layer)";
    }
    b.append("Rollout of ").append(spec.component()).append(" in ").append(spec.environment()).append(": ")
        .append(strategy).append(", traffic by ").append(traffic);
    if (firstRelease) {
      b.append("\n  first release: nothing runs yet, applied at once without steps");
    } else {
      for (int i = 0; i < steps.size(); i++) {
        b.append("\n  ").append(i + 1).append(". ").append(steps.get(i));
      }
      b.append("\n  then: the stable workload takes the new version, traffic back to it, the ")
          .append(spec.strategy() instanceof RolloutSpec.Canary ? "canary" : "preview").append(" removed");
    }
    b.append("\nFirst step:\n").append(firstStep.toText());
    return b.toString();
  }
}
