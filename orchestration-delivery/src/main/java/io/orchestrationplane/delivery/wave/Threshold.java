package io.orchestrationplane.delivery.wave;

/**
 * A number of clusters given as a count ({@code 2}) or as a percentage of a group ({@code 25%}),
 * like Open Cluster Management's {@code IntOrString} fields. A percentage is rounded down.
 *
 * @param value the count, or the percentage from 0 to 100
 * @param percent whether {@code value} is a percentage
 */
public record Threshold(int value, boolean percent) {
  public Threshold {
    if (value < 0) {
      throw new IllegalArgumentException("a threshold must be at least 0, was " + value);
    }
    if (percent && value > 100) {
      throw new IllegalArgumentException("a percentage must be between 0% and 100%, was " + value + "%");
    }
  }

  /** {@code n} clusters. */
  public static Threshold count(int n) {
    return new Threshold(n, false);
  }

  /** {@code p} percent of a group. */
  public static Threshold percent(int p) {
    return new Threshold(p, true);
  }

  /** {@code "3"} or {@code "25%"}; anything else is an {@link IllegalArgumentException} quoting it. */
  public static Threshold parse(String text) {
    String t = text.strip();
    try {
      return t.endsWith("%") ? percent(Integer.parseInt(t.substring(0, t.length() - 1).strip()))
          : count(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a count or a percentage: '" + text + "' (write 2 or 25%)");
    }
  }

  /** How many clusters of a group of {@code size} this is: the count, or the percentage rounded down. */
  public int of(int size) {
    return percent ? (int) Math.floor(value * (double) size / 100.0) : value;
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }

  /** For messages: {@code 1} or {@code 1 (50%)}. */
  String describe(int size) {
    return percent ? of(size) + " (" + value + "% of " + size + ")" : Integer.toString(value);
  }
}
