package io.orchestrationplane.policy;

import java.util.List;
import java.util.Objects;

/**
 * A semantic version as Kubernetes' CEL {@code semver} library sees it ({@code kubernetes.Semver} in CEL), parsed as
 * {@code github.com/blang/semver/v4} parses (strict semver 2.0); build metadata is kept but ignored by comparison and
 * equality. Immutable.
 *
 * @param preRelease dot-separated pre-release identifiers, empty when none
 * @param build dot-separated build metadata, empty when none
 */
public record Semver(long major, long minor, long patch, List<String> preRelease, List<String> build)
    implements Comparable<Semver> {
  private static final String NUMBERS = "0123456789";

  public Semver {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version numbers must not be negative");
    }
    preRelease = List.copyOf(preRelease);
    build = List.copyOf(build);
  }

  /**
   * Parses strictly ({@code semver(s)}).
   *
   * @throws IllegalArgumentException with blang/semver's message, e.g. {@code No Major.Minor.Patch elements found}
   */
  public static Semver parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("Version string empty");
    }
    String[] parts = text.split("\\.", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("No Major.Minor.Patch elements found");
    }
    long major = number(parts[0], "major", "Major");
    long minor = number(parts[1], "minor", "Minor");
    String patchText = parts[2];
    List<String> build = List.of();
    List<String> pre = List.of();
    int plus = patchText.indexOf('+');
    if (plus >= 0) {
      build = List.of(patchText.substring(plus + 1).split("\\.", -1));
      patchText = patchText.substring(0, plus);
    }
    int dash = patchText.indexOf('-');
    if (dash >= 0) {
      pre = List.of(patchText.substring(dash + 1).split("\\.", -1));
      patchText = patchText.substring(0, dash);
    }
    long patch = number(patchText, "patch", "Patch");
    for (String p : pre) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("Prerelease is empty");
      }
      if (only(p, NUMBERS)) {
        if (p.length() > 1 && p.charAt(0) == '0') {
          throw new IllegalArgumentException("Numeric PreRelease version must not contain leading zeroes "
              + quote(p));
        }
        unsigned(p);
      } else if (!alphanumeric(p)) {
        throw new IllegalArgumentException("Invalid character(s) found in prerelease " + quote(p));
      }
    }
    for (String b : build) {
      if (b.isEmpty()) {
        throw new IllegalArgumentException("Build meta data is empty");
      }
      if (!alphanumeric(b)) {
        throw new IllegalArgumentException("Invalid character(s) found in build meta data " + quote(b));
      }
    }
    return new Semver(major, minor, patch, pre, build);
  }

  /**
   * Parses as {@code semver(s, true)}: a leading {@code v} is dropped, missing minor and patch become 0 and leading
   * zeros are removed ({@code v01.2} → 1.2.0), then strictly.
   */
  public static Semver parseNormalized(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.startsWith("v") ? text.substring(1) : text;
    String[] parts = s.split("\\.", 3);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.length() > 1) {
        p = p.replaceFirst("^0+", "");
        if (p.isEmpty() || NUMBERS.indexOf(p.charAt(0)) < 0) {
          p = "0" + p;
        }
        parts[i] = p;
      }
    }
    if (parts.length < 3) {
      String last = parts[parts.length - 1];
      if (last.indexOf('+') >= 0 || last.indexOf('-') >= 0) {
        throw new IllegalArgumentException("short version cannot contain PreRelease/Build meta data");
      }
      String[] full = {parts[0], parts.length > 1 ? parts[1] : "0", "0"};
      parts = full;
    }
    return parse(String.join(".", parts));
  }

  /** Whether the text parses, strictly or normalized. */
  public static boolean isValid(String text, boolean normalize) {
    try {
      if (normalize) {
        parseNormalized(text);
      } else {
        parse(text);
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long number(String s, String lower, String upper) {
    if (!only(s, NUMBERS)) {
      throw new IllegalArgumentException("Invalid character(s) found in " + lower + " number " + quote(s));
    }
    if (s.length() > 1 && s.charAt(0) == '0') {
      throw new IllegalArgumentException(upper + " number must not contain leading zeroes " + quote(s));
    }
    return unsigned(s);
  }

  private static long unsigned(String s) {
    try {
      long v = Long.parseUnsignedLong(s);
      if (v < 0) {
        throw new IllegalArgumentException("strconv.ParseInt: parsing " + quote(s) + ": value out of range");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strconv.ParseUint: parsing " + quote(s) + ": "
          + (s.isEmpty() ? "invalid syntax" : "value out of range"));
    }
  }

  private static boolean only(String s, String set) {
    for (int i = 0; i < s.length(); i++) {
      if (set.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean alphanumeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String s) {
    return io.orchestrationplane.policy.internal.GoText.quote(s);
  }

  /** Semver precedence: numbers, then pre-release (a release ranks above its pre-releases); build ignored. */
  @Override public int compareTo(Semver o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    if (c != 0) {
      return Integer.signum(c);
    }
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
      String a = preRelease.get(i);
      String b = o.preRelease.get(i);
      boolean an = only(a, NUMBERS);
      boolean bn = only(b, NUMBERS);
      int d = an && bn ? Long.compareUnsigned(Long.parseUnsignedLong(a), Long.parseUnsignedLong(b))
          : an ? -1 : bn ? 1 : a.compareTo(b);
      if (d != 0) {
        return Integer.signum(d);
      }
    }
    return Integer.compare(preRelease.size(), o.preRelease.size());
  }

  @Override public boolean equals(Object o) {
    return o instanceof Semver s && compareTo(s) == 0;
  }

  @Override public int hashCode() {
    return Long.hashCode(major * 961 + minor * 31 + patch) + preRelease.hashCode();
  }

  /** {@code major.minor.patch[-pre][+build]}. */
  @Override public String toString() {
    return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
        + (build.isEmpty() ? "" : "+" + String.join(".", build));
  }
}
