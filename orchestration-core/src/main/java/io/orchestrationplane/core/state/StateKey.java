package io.orchestrationplane.core.state;

import java.util.Comparator;
import java.util.Objects;

/**
 * Names one value in a {@link StateStore}: a namespace (the family of state, such as {@code
 * revisions} or {@code workflows}) and a name within it.
 *
 * <p>Both parts are checked here, once, so that every backend can store every valid key as is:
 * <ul>
 *   <li>the namespace is a Kubernetes label value and DNS label: 1 to {@value #MAX_NAMESPACE_LENGTH}
 *       lower-case letters, digits and {@code -}, starting and ending with a letter or digit;
 *   <li>the name is a DNS subdomain: 1 to {@value #MAX_NAME_LENGTH} characters of dot-separated
 *       parts, each as a namespace;
 *   <li>so {@code namespace + "." + name} is at most 253 characters, a valid Kubernetes object name
 *       (one ConfigMap per key), a file name on every common file system, and a short SQL key.
 * </ul>
 * Only ASCII is allowed, so ordering by {@link String#compareTo} equals byte order (a SQL backend
 * sorts with {@code COLLATE "C"}). A longer identifier (an application id may have 317 characters)
 * must be shortened by the caller, for example to a prefix and a digest.
 *
 * <pre>{@code
 * StateKey key = StateKey.of("workflows", "shop.checkout");
 * key.toString(); // "workflows/shop.checkout"
 * }</pre>
 */
public record StateKey(String namespace, String name) implements Comparable<StateKey>, java.io.Serializable {
  /** The longest namespace: a Kubernetes label value. */
  public static final int MAX_NAMESPACE_LENGTH = 63;
  /** The longest name: 253 (a Kubernetes object name) minus a namespace and a dot. */
  public static final int MAX_NAME_LENGTH = 189;

  private static final Comparator<StateKey> ORDER =
      Comparator.comparing(StateKey::namespace).thenComparing(StateKey::name);

  /** Checks both parts; throws {@link IllegalArgumentException} saying what is wrong and what is allowed. */
  public StateKey {
    checkNamespace(namespace);
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !subdomain(name)) {
      throw new IllegalArgumentException("state key name " + shown(name) + " in namespace '" + namespace
          + "' is not valid: use 1-" + MAX_NAME_LENGTH + " lower-case letters, digits, '-' and '.', in "
          + "dot-separated parts that start and end with a letter or digit (a Kubernetes object name)"
          + lengthNote(name, MAX_NAME_LENGTH));
    }
  }

  /** A key; same as the constructor. */
  public static StateKey of(String namespace, String name) {
    return new StateKey(namespace, name);
  }

  /** Throws {@link IllegalArgumentException} unless {@code namespace} is a valid namespace. */
  public static void checkNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isEmpty() || namespace.length() > MAX_NAMESPACE_LENGTH || !label(namespace, 0, namespace.length())) {
      throw new IllegalArgumentException("state key namespace " + shown(namespace) + " is not valid: use 1-"
          + MAX_NAMESPACE_LENGTH + " lower-case letters, digits and '-', starting and ending with a letter or digit"
          + " (a Kubernetes label value)" + lengthNote(namespace, MAX_NAMESPACE_LENGTH));
    }
  }

  /**
   * Throws {@link IllegalArgumentException} unless {@code prefix} could begin a name: at most
   * {@value #MAX_NAME_LENGTH} lower-case letters, digits, {@code -} and {@code .} (empty matches
   * every name).
   */
  public static void checkNamePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.length() > MAX_NAME_LENGTH || !prefix(prefix)) {
      throw new IllegalArgumentException("state key name prefix " + shown(prefix) + " is not valid: use at most "
          + MAX_NAME_LENGTH + " lower-case letters, digits, '-' and '.'" + lengthNote(prefix, MAX_NAME_LENGTH));
    }
  }

  // The three checks below are the regular expressions [a-z0-9]([-a-z0-9]*[a-z0-9])? (a label),
  // labels joined by dots (a subdomain) and [-a-z0-9.]* (a prefix), written out: a key is made
  // for every store access, and a matcher per key was a measurable part of it (StateKeyTest
  // compares them with the expressions).

  /** {@code s[from, to)} is a label: not empty, letters, digits and '-', not starting or ending with '-'. */
  static boolean label(String s, int from, int to) {
    if (from >= to || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} is labels joined by single dots. */
  static boolean subdomain(String s) {
    int from = 0;
    while (true) {
      int dot = s.indexOf('.', from);
      if (!label(s, from, dot < 0 ? s.length() : dot)) {
        return false;
      }
      if (dot < 0) {
        return true;
      }
      from = dot + 1;
    }
  }

  /** {@code s} has only letters, digits, '-' and '.'. */
  static boolean prefix(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(StateKey other) {
    return ORDER.compare(this, other);
  }

  /** {@code namespace/name}. */
  @Override
  public String toString() {
    return namespace + "/" + name;
  }

  // A key is an identifier, not a secret, but a huge one is a mistake: show its start only.
  private static String shown(String s) {
    return s.length() > 64 ? "'" + s.substring(0, 61) + "...'" : "'" + s + "'";
  }

  private static String lengthNote(String s, int max) {
    return s.length() > max ? "; it has " + s.length() + " characters" : "";
  }
}
