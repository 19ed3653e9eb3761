package io.orchestrationplane.core.health;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.health.internal.BuiltInAssessors;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The registry that assesses any object: one {@link HealthAssessor} per group/kind, built-ins
 * included, users' assessors added or overriding per group/kind. Immutable and thread-safe.
 *
 * <p>The rules that hold for every kind, before any assessor runs:
 * <ul>
 *   <li>a desired object that is absent is {@link Health#MISSING};</li>
 *   <li>an object with {@code metadata.deletionTimestamp} is {@link Health#PROGRESSING} ("Pending deletion",
 *       as Argo CD);</li>
 *   <li>a kind with no assessor is {@link Health#HEALTHY} once it exists (ConfigMaps, Secrets,
 *       RBAC and unknown custom resources have nothing more to wait for);</li>
 *   <li>an assessor that throws yields {@link Health#UNKNOWN} with the error.</li>
 * </ul>
 *
 * <pre>{@code
 * HealthAssessors health = HealthAssessors.builder()
 *     .register(HealthAssessor.of(new GroupKind("example.com", "Widget"), live -> ...))
 *     .build();
 * HealthStatus s = health.assess(driver.get(key), key);
 * }</pre>
 */
public final class HealthAssessors {
  private final Map<GroupKind, HealthAssessor> byKind;

  private HealthAssessors(Map<GroupKind, HealthAssessor> byKind) {
    this.byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
  }

  /** The built-in assessors only. */
  public static HealthAssessors defaults() {
    return builder().build();
  }

  /** A builder that starts with the built-in assessors. */
  public static Builder builder() {
    return new Builder(true);
  }

  /** A builder that starts empty: every kind is HEALTHY once it exists until you register one. */
  public static Builder empty() {
    return new Builder(false);
  }

  /** Builds {@link HealthAssessors}; the last registration for a group/kind wins. */
  public static final class Builder {
    private final Map<GroupKind, HealthAssessor> byKind = new LinkedHashMap<>();

    private Builder(boolean builtIns) {
      if (builtIns) {
        BuiltInAssessors.all().forEach(this::register);
      }
    }

    /** Registers an assessor for each kind it serves, replacing what was there. */
    public Builder register(HealthAssessor assessor) {
      Objects.requireNonNull(assessor, "assessor");
      Set<GroupKind> kinds = assessor.kinds();
      if (kinds == null || kinds.isEmpty()) {
        throw new IllegalArgumentException("assessor " + assessor + " serves no kinds");
      }
      kinds.forEach(k -> byKind.put(Objects.requireNonNull(k, "kind"), assessor));
      return this;
    }

    /** Registers an assessor for one group/kind only, whatever else it serves. */
    public Builder register(GroupKind kind, HealthAssessor assessor) {
      byKind.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(assessor, "assessor"));
      return this;
    }

    /** Removes the assessor of a group/kind, so objects of it are HEALTHY once they exist. */
    public Builder remove(GroupKind kind) {
      byKind.remove(kind);
      return this;
    }

    public HealthAssessors build() {
      return new HealthAssessors(byKind);
    }
  }

  /**
   * The health of an object that should exist: {@link Health#MISSING} when {@code live} is empty,
   * otherwise {@link #assess(Resource)}.
   */
  public HealthStatus assess(Optional<Resource> live, ResourceKey desired) {
    Objects.requireNonNull(desired, "desired");
    return live.map(this::assess).orElseGet(() -> HealthStatus.missing(desired));
  }

  /**
   * Reads {@code key} from {@code cluster} and assesses it, {@link Health#MISSING} when absent.
   * A failed read propagates as the driver's {@code ClusterException}: it says nothing about the
   * object's health, so the caller decides whether to retry.
   */
  public ResourceHealth assess(ClusterDriver cluster, ResourceKey key) {
    Objects.requireNonNull(cluster, "cluster");
    return new ResourceHealth(key, assess(cluster.get(key), key));
  }

  /**
   * The health of a live object. An assessor that fails (a bug in it, an {@code AssertionError} or a
   * class missing at run time included) or returns nothing gives UNKNOWN with the reason.
   */
  public HealthStatus assess(Resource live) {
    Objects.requireNonNull(live, "live");
    if (live.isBeingDeleted()) {
      return HealthStatus.progressing(live + ": Pending deletion");
    }
    HealthAssessor assessor = byKind.get(live.groupKind());
    if (assessor == null) {
      return HealthStatus.healthy(live + " exists (no health check for " + live.groupKind() + ")");
    }
    try {
      HealthStatus status = assessor.assess(live);
      if (status == null) {
        return HealthStatus.unknown(live + ": health assessor " + assessor + " returned no status");
      }
      return withoutSecrets(live, status);
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
      // a bug in a user's assessor (a failed assertion or a class missing at run time included) says nothing of the object
      return withoutSecrets(live, HealthStatus.unknown(live + ": health assessment failed: " + e));
    }
  }

  /**
   * The status, its message withheld when it quotes a secret value of the object: an assessor of
   * Secrets (or its exception) may quote their data, and the message reaches status and events.
   */
  private static HealthStatus withoutSecrets(Resource live, HealthStatus status) {
    if (!Redactor.isSecret(live)) {
      return status;
    }
    for (String value : Redactor.secretValues(live, Set.of())) {
      if (!value.isEmpty() && status.message().contains(value)) {
        return new HealthStatus(status.health(), live + ": the health message is withheld: it quotes a secret value of"
            + " the object");
      }
    }
    return status;
  }

  /** The assessor used for a group/kind, if any. */
  public Optional<HealthAssessor> assessorFor(GroupKind kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  /** The group/kinds that have an assessor. */
  public Set<GroupKind> kinds() {
    return byKind.keySet();
  }
}
