package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the plan does to one object: create it, update the listed fields, delete it, or leave it
 * as it is. Carries the resourceVersion seen when planning, so executing a plan whose live state
 * moved on is refused instead of overwriting someone else's change.
 *
 * @param type what happens
 * @param key the object, including its cluster
 * @param environment the environment it belongs to (for deletes: the one its label names)
 * @param component the component that renders it (for deletes: the one its label names)
 * @param desired the desired object; {@code null} for DELETE
 * @param liveResourceVersion the live resourceVersion when planned; {@code null} for CREATE
 * @param diffs the differing fields of an UPDATE (empty otherwise)
 * @param wave the apply wave: lower waves run first; deletes run after all applies, in reverse
 * @param live the live object when planned; {@code null} for CREATE. Not part of the rendered
 *     plan: it is there for health assessment and may hold secret values
 * @param ignored differences found and not counted, with the rule that ignored each
 * @param comparison how desired and live were compared
 */
public record Change(Type type, ResourceKey key, @Nullable String environment, @Nullable String component, @Nullable Resource desired,
    @Nullable String liveResourceVersion, List<FieldDiff> diffs, int wave, @Nullable Resource live, List<IgnoredDiff> ignored,
    Comparison comparison) {

  /** How the planner decided what differs. */
  public enum Comparison {
    /** The planner compared desired and live itself, in Kubernetes' terms. */
    CLIENT_SIDE,
    /** The API server said what an apply would change (a server-side apply dry run). */
    SERVER_SIDE
  }

  /** What a change does. */
  public enum Type {
    CREATE('+'), UPDATE('~'), DELETE('-'), UNCHANGED('=');

    private final char symbol;

    Type(char symbol) {
      this.symbol = symbol;
    }

    /** The Terraform-like symbol used in text plans. */
    public char symbol() {
      return symbol;
    }
  }

  /** A change compared client-side with nothing ignored. */
  public Change(Type type, ResourceKey key, @Nullable String environment, @Nullable String component, @Nullable Resource desired,
      @Nullable String liveResourceVersion, List<FieldDiff> diffs, int wave, @Nullable Resource live) {
    this(type, key, environment, component, desired, liveResourceVersion, diffs, wave, live, List.of(),
        Comparison.CLIENT_SIDE);
  }

  public Change {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    diffs = List.copyOf(diffs == null ? List.of() : diffs);
    ignored = List.copyOf(ignored == null ? List.of() : ignored);
    comparison = comparison == null ? Comparison.CLIENT_SIDE : comparison;
    if (type != Type.DELETE && desired == null) {
      throw new IllegalArgumentException(type + " of " + key + " needs the desired object");
    }
    if (type == Type.UPDATE && diffs.isEmpty()) {
      throw new IllegalArgumentException("UPDATE of " + key + " must name at least one differing field");
    }
  }

  @Override
  public String toString() {
    return "Change[" + type + " " + key + (diffs.isEmpty() ? "" : ", " + diffs.size() + " fields") + "]";
  }

  /**
   * The content hash of the desired object (its content-hash annotation, or computed with secret
   * values left out); empty for a DELETE. Part of a plan's digest.
   */
  public String contentHash() {
    if (desired == null) {
      return "";
    }
    String annotated = desired.annotation(io.orchestrationplane.core.resource.Ownership.CONTENT_HASH_ANNOTATION);
    return annotated != null ? annotated
        : io.orchestrationplane.core.resource.ContentHash.ofWithoutSecrets(desired, java.util.Set.of());
  }

  /** True unless the change is UNCHANGED. */
  public boolean isWrite() {
    return type != Type.UNCHANGED;
  }
}
