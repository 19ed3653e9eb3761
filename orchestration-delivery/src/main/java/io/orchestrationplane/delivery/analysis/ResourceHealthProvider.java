package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.ResourceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Measures the health of the plane's own objects, for a canary's own workloads: the query is an
 * application id ({@code <namespace>.<name>}), read through the function given (typically
 * {@code id -> plane.status(applicationsById.get(id))}); options narrow the objects to those of
 * one {@code environment}, {@code cluster}, {@code kind} and {@code name} (a trailing {@code *}
 * matches a prefix). Only desired objects count. The result is a map:
 *
 * <pre>{@code
 * {total: 3, healthy: 2, progressing: 1, degraded: 0, suspended: 0, missing: 0, unknown: 0,
 *  healthyRatio: 0.667, unhealthy: ["Deployment shop/api-canary (cluster prod): PROGRESSING 1 of 2 updated"]}
 * }</pre>
 *
 * so that {@code successCondition: result.healthy == result.total} or {@code failureCondition:
 * result.degraded > 0}. No matching object is no data: INCONCLUSIVE, never a success. The
 * status function's exception is an ERROR measurement.
 */
public final class ResourceHealthProvider implements MetricProvider {
  /** The default provider name. */
  public static final String NAME = "resource-health";
  /** Metric options this provider takes. */
  public static final Set<String> OPTIONS = Set.of("environment", "cluster", "kind", "name");

  private final String name;
  private final Function<String, ApplicationStatus> status;

  private ResourceHealthProvider(String name, Function<String, ApplicationStatus> status) {
    this.name = name;
    this.status = status;
  }

  /** A provider named {@value #NAME} reading statuses by application id. */
  public static ResourceHealthProvider of(Function<String, ApplicationStatus> statusById) {
    return new ResourceHealthProvider(NAME, Objects.requireNonNull(statusById, "statusById"));
  }

  /** The same provider under another name. */
  public ResourceHealthProvider named(String value) {
    return new ResourceHealthProvider(Objects.requireNonNull(value, "name"), status);
  }

  @Override public String name() {
    return name;
  }

  @Override public List<String> validate(Map<String, String> options) {
    return options.keySet().stream().filter(k -> !OPTIONS.contains(k)).sorted()
        .map(k -> "options." + k + ": unknown option of provider " + name + "; known: " + new java.util.TreeSet<>(OPTIONS))
        .toList();
  }

  @Override public MetricValue measure(MetricQuery q) {
    ApplicationStatus s = status.apply(q.query().trim());
    if (s == null) { // a function may answer null despite the contract
      throw new MetricProviderException("no status for application '" + q.query().trim() + "'");
    }
    Map<Health, Integer> counts = new LinkedHashMap<>();
    List<String> unhealthy = new ArrayList<>();
    int total = 0;
    for (ResourceStatus r : s.resources()) {
      if (!r.desired() || !matches(r, q.options())) {
        continue;
      }
      total++;
      counts.merge(r.health().health(), 1, Integer::sum);
      if (r.health().health() != Health.HEALTHY) {
        unhealthy.add(r.key().display() + " (cluster " + r.key().cluster() + "): "
            + r.health().health() + (r.health().message().isEmpty() ? "" : " " + r.health().message()));
      }
    }
    if (total == 0) {
      return new MetricValue.Structured(Map.of());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", (long) total);
    for (Health h : List.of(Health.HEALTHY, Health.PROGRESSING, Health.DEGRADED, Health.SUSPENDED, Health.MISSING, Health.UNKNOWN)) {
      out.put(h.name().toLowerCase(Locale.ROOT), (long) counts.getOrDefault(h, 0));
    }
    out.put("healthyRatio", counts.getOrDefault(Health.HEALTHY, 0) / (double) total);
    out.put("unhealthy", List.copyOf(unhealthy));
    return new MetricValue.Structured(out);
  }

  private static boolean matches(ResourceStatus r, Map<String, String> options) {
    return eq(options.get("environment"), r.environment()) && eq(options.get("cluster"), r.key().cluster())
        && eq(options.get("kind"), r.key().kind()) && eq(options.get("name"), r.key().name());
  }

  private static boolean eq(@Nullable String pattern, @Nullable String value) {
    if (pattern == null) {
      return true;
    }
    if (value == null) {
      return false;
    }
    return pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(value);
  }

  @Override public String toString() {
    return "ResourceHealthProvider[" + name + "]";
  }
}
