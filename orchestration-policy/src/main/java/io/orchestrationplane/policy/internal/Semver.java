package io.orchestrationplane.policy.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (semver.org 2.0) for Kubernetes' CEL {@code semver} library. */
public record Semver(long major, long minor, long patch, List<String> preRelease, String build)
    implements Comparable<Semver> {
  private static final Pattern STRICT = Pattern.compile(
      "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
          + "(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

  /**
   * Parses; with {@code normalize} a leading {@code v} is dropped, missing minor/patch become 0 and
   * leading zeros are removed ({@code v01.2} → 1.2.0).
   */
  public static Semver parse(String text, boolean normalize) {
    String t = text;
    if (normalize) {
      if (t.startsWith("v")) {
        t = t.substring(1);
      }
      Matcher core = Pattern.compile("([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?(.*)").matcher(t);
      if (core.matches()) {
        t = strip(core.group(1)) + "." + strip(core.group(2) == null ? "0" : core.group(2)) + "."
            + strip(core.group(3) == null ? "0" : core.group(3)) + core.group(4);
      }
    }
    Matcher m = STRICT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid semver: " + text);
    }
    try {
      return new Semver(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
          m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.")), m.group(5) == null ? "" : m.group(5));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid semver: " + text);
    }
  }

  private static String strip(String digits) {
    String s = digits.replaceFirst("^0+(?=.)", "");
    return s;
  }

  public static boolean isValid(String text, boolean normalize) {
    try {
      parse(text, normalize);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override public int compareTo(Semver o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
      String a = preRelease.get(i);
      String b = o.preRelease.get(i);
      boolean an = a.chars().allMatch(Character::isDigit);
      boolean bn = b.chars().allMatch(Character::isDigit);
      int d = an && bn ? Long.compare(Long.parseLong(a), Long.parseLong(b))
          : an ? -1 : bn ? 1 : a.compareTo(b);
      if (d != 0) {
        return d;
      }
    }
    return Integer.compare(preRelease.size(), o.preRelease.size());
  }

  @Override public boolean equals(Object o) {
    return o instanceof Semver s && compareTo(s) == 0;
  }

  @Override public int hashCode() {
    return (int) (major * 31 * 31 + minor * 31 + patch) + preRelease.hashCode();
  }

  @Override public String toString() {
    return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
        + (build.isEmpty() ? "" : "+" + build);
  }
}
