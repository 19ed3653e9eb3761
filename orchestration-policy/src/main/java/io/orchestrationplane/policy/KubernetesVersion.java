package io.orchestrationplane.policy;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes minor version ({@code 1.31}) whose API server's CEL environment an engine reproduces: the functions,
 * overloads and language features that version offers, no more (see the table in docs/policy.md). Supported from
 * {@link #OLDEST} to {@link #LATEST}; {@link #LATEST} is the default.
 */
public record KubernetesVersion(int major, int minor) implements Comparable<KubernetesVersion> {
  /** The oldest version whose environment is reproduced (ValidatingAdmissionPolicy appeared in 1.26). */
  public static final KubernetesVersion OLDEST = new KubernetesVersion(1, 26);
  /** The newest version whose environment is reproduced; the default of engines and expressions. */
  public static final KubernetesVersion LATEST = new KubernetesVersion(1, 35);

  private static final Pattern TEXT = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.\\d+)?");

  public KubernetesVersion {
    if (major != 1 || minor < OLDEST_MINOR || minor > LATEST_MINOR) {
      throw new IllegalArgumentException("Kubernetes version " + major + "." + minor + " is not supported (supported: "
          + "1." + OLDEST_MINOR + " to 1." + LATEST_MINOR + ")");
    }
  }

  private static final int OLDEST_MINOR = 26;
  private static final int LATEST_MINOR = 35;

  /** Parses {@code 1.31}, {@code v1.31} or {@code 1.31.2} (the patch is ignored). */
  public static KubernetesVersion parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = TEXT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a Kubernetes version (expected e.g. 1.31)");
    }
    return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** {@code 1.minor}. */
  public static KubernetesVersion of(int major, int minor) {
    return new KubernetesVersion(major, minor);
  }

  /** Whether this version is {@code other} or newer. */
  public boolean atLeast(KubernetesVersion other) {
    return compareTo(other) >= 0;
  }

  boolean atLeast(int minor) {
    return this.minor >= minor;
  }

  @Override public int compareTo(KubernetesVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override public String toString() {
    return major + "." + minor;
  }
}
