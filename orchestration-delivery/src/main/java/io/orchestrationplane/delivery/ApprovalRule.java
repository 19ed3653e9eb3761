package io.orchestrationplane.delivery;

import io.orchestrationplane.core.observe.Subject;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may release a gate: {@code required} distinct subjects, each named in {@code approvers} or
 * a member of one of {@code groups}; the author of the release (who started it) counts only when
 * {@code allowAuthor} is true (default false: four eyes). How long the gate waits before it
 * expires is the approval step's timeout.
 *
 * <pre>{@code
 * ApprovalRule.of(2, "alice", "bob", "carol").orGroups("release-managers")
 * }</pre>
 *
 * @param required how many distinct eligible subjects must approve, at least 1
 * @param approvers subject names that may approve
 * @param groups groups whose members may approve
 * @param allowAuthor whether the release's author may approve it
 */
public record ApprovalRule(int required, Set<String> approvers, Set<String> groups, boolean allowAuthor) {
  public ApprovalRule {
    if (required < 1) {
      throw new IllegalArgumentException("required must be at least 1, got " + required);
    }
    approvers = Set.copyOf(Objects.requireNonNull(approvers, "approvers"));
    groups = Set.copyOf(Objects.requireNonNull(groups, "groups"));
    if (approvers.isEmpty() && groups.isEmpty()) {
      throw new IllegalArgumentException("an approval rule names at least one approver or group");
    }
    if (groups.isEmpty() && approvers.size() < required) {
      throw new IllegalArgumentException("an approval rule requiring " + required + " approvals names only "
          + approvers.size() + " approver(s) and no group: it could never be met");
    }
  }

  /** {@code required} of the named approvers. */
  public static ApprovalRule of(int required, String... approvers) {
    return new ApprovalRule(required, Set.of(approvers), Set.of(), false);
  }

  /** {@code required} members of the groups. */
  public static ApprovalRule ofGroups(int required, String... groups) {
    return new ApprovalRule(required, Set.of(), Set.of(groups), false);
  }

  /** This rule, also counting members of these groups. */
  public ApprovalRule orGroups(String... names) {
    Set<String> all = new TreeSet<>(groups);
    all.addAll(Set.of(names));
    return new ApprovalRule(required, approvers, all, allowAuthor);
  }

  /** This rule, letting the author approve their own release. */
  public ApprovalRule allowingAuthor() {
    return new ApprovalRule(required, approvers, groups, true);
  }

  /** Whether {@code subject} may approve (or reject) a release authored by {@code author}. */
  public boolean eligible(Subject subject, Subject author) {
    if (!allowAuthor && subject.name().equals(author.name())) {
      return false;
    }
    return approvers.contains(subject.name()) || subject.groups().stream().anyMatch(groups::contains);
  }

  /** {@code 2 of [alice, bob] or group [release-managers], not the author}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(required).append(" of ");
    if (!approvers.isEmpty()) {
      sb.append(new TreeSet<>(approvers));
    }
    if (!groups.isEmpty()) {
      sb.append(approvers.isEmpty() ? "" : " or ").append("group ").append(new TreeSet<>(groups));
    }
    return sb.append(allowAuthor ? "" : ", not the author").toString();
  }
}
