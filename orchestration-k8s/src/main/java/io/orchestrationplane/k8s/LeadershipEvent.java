package io.orchestrationplane.k8s;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change seen by a {@link LeaderElection}.
 *
 * @param type what happened
 * @param identity this candidate's identity
 * @param leader the leader's identity after the change ({@code null} when unknown)
 * @param at when this candidate saw it, by the election's clock
 */
public record LeadershipEvent(Type type, String identity, @Nullable String leader, Instant at) {
  /** What happened. */
  public enum Type {
    /** This candidate became the leader: start reconciling. */
    STARTED_LEADING,
    /** This candidate is no longer the leader: stop reconciling. */
    STOPPED_LEADING,
    /** The lease names a (possibly different) leader. */
    NEW_LEADER,
    /** An election round ended with an error; the candidate tries again. */
    ELECTION_FAILED
  }

  public LeadershipEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(at, "at");
  }
}
