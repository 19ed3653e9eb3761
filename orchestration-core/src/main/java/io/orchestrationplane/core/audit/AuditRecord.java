package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.AuditJson;
import io.orchestrationplane.core.observe.Subject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One decision of the plane, as the {@link AuditLog} appended it: when, who, what, for which
 * application, under which revision and plan digests, what the policies said and what happened on
 * each cluster. Records are chained: {@link #previous()} is the hash of the record before (64
 * zeros for the first), {@link #hash()} the SHA-256 of this record's canonical JSON without its
 * hash. No field holds a secret value: policy messages are redacted by admission, mutations are
 * named but their patches left out, and an invalid desired state is recorded without its problems.
 *
 * @param sequence the position in the log, from 0
 * @param revision the digest of the desired state being applied (as its revision records it), or
 *     empty when the record is about no new desired state (a plan, a denial, a removal)
 * @param plan the digest of the plan, or empty
 * @param verdicts what admission policies said: denials, warnings, audit annotations, errors, mutations
 * @param outcomes per cluster, for {@link AuditAction#EXECUTE}
 * @param message what continuous mode said, for events; empty otherwise
 */
public record AuditRecord(long sequence, Instant time, Subject subject, AuditAction action, String application,
    String revision, String plan, List<Verdict> verdicts, List<ClusterOutcome> outcomes, String message,
    String previous, String hash) implements AuditEntry {

  /** The {@link #previous()} of the first record. */
  public static final String GENESIS = "0".repeat(64);

  public AuditRecord {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(plan, "plan");
    verdicts = List.copyOf(verdicts);
    outcomes = List.copyOf(outcomes);
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(hash, "hash");
  }

  /**
   * What one policy said about one object.
   *
   * @param action {@code Deny}, {@code Warn}, {@code Audit}, {@code Error} or {@code Mutate}
   * @param object the object, {@code Kind namespace/name}
   * @param message the policy's message with secret values redacted (empty for {@code Mutate})
   */
  public record Verdict(String policy, String action, String object, String cluster, String message) {
    public Verdict {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * What an execution did on one cluster: writes counted by result, and the first failure.
   *
   * @param failed failed writes and conflicts
   * @param error the first failure's message (the plane's messages never quote secret values), or empty
   */
  public record ClusterOutcome(String cluster, int applied, int deleted, int unchanged, int failed, int waiting,
      int skipped, String error) {
    public ClusterOutcome {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(error, "error");
    }

    /** True when no write failed on this cluster. */
    public boolean succeeded() {
      return failed == 0;
    }
  }

  /** The hash this record's content gives, to compare with {@link #hash()}. */
  public String computeHash() {
    return AuditJson.recordHash(this);
  }

  @Override
  public String toJson() {
    return AuditJson.write(this);
  }
}
