package io.orchestrationplane.core.health;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of a set of resources (an application, a component, a wave): the worst of them by
 * {@link Health#severity()}, which orders HEALTHY &lt; SUSPENDED &lt; PROGRESSING &lt; MISSING
 * &lt; UNKNOWN &lt; DEGRADED. The {@link #culprit()} is the first resource, in the order given,
 * with that worst health; the message is its message, so status says why.
 *
 * <pre>{@code
 * ApplicationHealth h = ApplicationHealth.of(List.of(
 *     new ResourceHealth(dbKey, HealthStatus.healthy("...")),
 *     new ResourceHealth(apiKey, HealthStatus.progressing("Deployment shop/api: Waiting for rollout to finish: ..."))));
 * h.health();  // PROGRESSING
 * h.message(); // "Deployment shop/api: Waiting for rollout to finish: ..."
 * }</pre>
 *
 * @param health the worst health, HEALTHY when there are no resources
 * @param message the culprit's message, or a summary when everything is healthy
 * @param culprit the first resource with the worst health, empty when that health is HEALTHY
 * @param resources every resource assessed, in the order given
 */
public record ApplicationHealth(Health health, String message, Optional<ResourceHealth> culprit,
    List<ResourceHealth> resources) {

  public ApplicationHealth {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(culprit, "culprit");
    resources = List.copyOf(resources);
    if (culprit.isPresent() && culprit.get().health() != health) {
      throw new IllegalArgumentException("culprit health " + culprit.get().health() + " differs from " + health);
    }
  }

  /** Aggregates resource healths; {@code resources} order decides which culprit is named first. */
  public static ApplicationHealth of(Collection<ResourceHealth> resources) {
    List<ResourceHealth> all = List.copyOf(resources);
    ResourceHealth worst = null;
    for (ResourceHealth r : all) {
      if (worst == null || r.health().isWorseThan(worst.health())) {
        worst = r;
      }
    }
    if (worst == null) {
      return new ApplicationHealth(Health.HEALTHY, "no resources", Optional.empty(), all);
    }
    if (worst.health() == Health.HEALTHY) {
      String summary = all.size() == 1 ? "1 resource is healthy" : "all " + all.size() + " resources are healthy";
      return new ApplicationHealth(Health.HEALTHY, summary, Optional.empty(), all);
    }
    return new ApplicationHealth(worst.health(), worst.message(), Optional.of(worst), all);
  }

  /** How many resources have each health (only healths that occur). */
  public Map<Health, Integer> counts() {
    Map<Health, Integer> out = new EnumMap<>(Health.class);
    resources.forEach(r -> out.merge(r.health(), 1, Integer::sum));
    return out;
  }

  /** The resources that are not HEALTHY, in the order given. */
  public List<ResourceHealth> unhealthy() {
    return resources.stream().filter(r -> r.health() != Health.HEALTHY).toList();
  }
}
