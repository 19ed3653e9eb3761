package io.orchestrationplane.core.observe;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is acting: the identity behind a plan, apply, submit or remove call, carried into every
 * record observers receive (the audit trail's "who"). Without one, a call acts as {@link
 * #local()}; continuous mode acts for the subject that submitted (or removed) the application.
 *
 * <pre>{@code
 * plane.apply(app, Subject.of("alice@example.com", "platform-team"));
 * }</pre>
 *
 * @param name the user or service account, as the embedding platform authenticated it
 * @param groups the groups it belongs to, sorted
 */
public record Subject(String name, Set<String> groups) {
  private static final Subject LOCAL = new Subject("local", Set.of());

  public Subject {
    name = check(name, "name");
    TreeSet<String> sorted = new TreeSet<>();
    for (String g : Objects.requireNonNull(groups, "groups")) {
      sorted.add(check(g, "group"));
    }
    groups = java.util.Collections.unmodifiableSet(sorted);
  }

  /** The caller of an embedded plane that named no one: the process itself. */
  public static Subject local() {
    return LOCAL;
  }

  /** A subject with groups. */
  public static Subject of(String name, String... groups) {
    return new Subject(name, Set.of(groups));
  }

  private static String check(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a subject's " + what + " must not be blank");
    }
    if (value.length() > 256) {
      throw new IllegalArgumentException("a subject's " + what + " must be at most 256 characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("a subject's " + what + " must not contain control characters (at index "
            + i + ")");
      }
    }
    return value;
  }

  @Override
  public String toString() {
    return groups.isEmpty() ? name : name + " " + groups;
  }
}
