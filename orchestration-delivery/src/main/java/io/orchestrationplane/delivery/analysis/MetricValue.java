package io.orchestrationplane.delivery.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.orchestrationplane.delivery.analysis.internal.Values;

/**
 * What a {@link MetricProvider} measured, in one of the shapes Prometheus answers with (plus a
 * map for providers of named figures). It is the CEL variable {@code result} of the metric's
 * conditions:
 * <ul>
 *   <li>{@link Scalar}: a double, {@code result < 0.01};</li>
 *   <li>{@link Vector}: a list of doubles, one per series, {@code result[0] >= 0.95} (as Argo Rollouts);</li>
 *   <li>{@link Matrix}: a list of lists of doubles, one list per series, {@code result[0].all(v, v < 0.01)};</li>
 *   <li>{@link Structured}: a map, {@code result.errorRate < 0.01}.</li>
 * </ul>
 * A result {@link #hasNoData() without data} or {@link #hasNaN() holding NaN} makes the
 * measurement INCONCLUSIVE before any condition is evaluated.
 */
public sealed interface MetricValue permits MetricValue.Scalar, MetricValue.Vector, MetricValue.Matrix, MetricValue.Structured {

  /** True when there is nothing to judge: an empty vector or matrix, or a matrix whose series are all empty. */
  boolean hasNoData();

  /** True when any number in the result is NaN. */
  boolean hasNaN();

  /** The value of {@code result} in CEL: a double, a list, a list of lists, or a map. */
  Object toCel();

  /** One line for people, e.g. {@code [0.012, 0.3]}. */
  String toText();

  static Scalar scalar(double value) {
    return new Scalar(value);
  }

  /** A vector of unlabelled samples. */
  static Vector vector(double... values) {
    List<Sample> samples = new ArrayList<>();
    for (double v : values) {
      samples.add(new Sample(Map.of(), v));
    }
    return new Vector(samples);
  }

  static Structured structured(Map<String, ?> values) {
    return new Structured(new java.util.LinkedHashMap<String, Object>(values));
  }

  /** A single number (Prometheus {@code scalar}). */
  record Scalar(double value) implements MetricValue {
    @Override public boolean hasNoData() {
      return false;
    }

    @Override public boolean hasNaN() {
      return Double.isNaN(value);
    }

    @Override public Object toCel() {
      return value;
    }

    @Override public String toText() {
      return Values.text(value);
    }
  }

  /** One labelled sample of an instant vector. */
  record Sample(Map<String, String> labels, double value) {
    public Sample {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  /** An instant vector (Prometheus {@code vector}): a sample per series. */
  record Vector(List<Sample> samples) implements MetricValue {
    public Vector {
      samples = List.copyOf(samples);
    }

    @Override public boolean hasNoData() {
      return samples.isEmpty();
    }

    @Override public boolean hasNaN() {
      return samples.stream().anyMatch(s -> Double.isNaN(s.value()));
    }

    @Override public Object toCel() {
      return samples.stream().map(Sample::value).toList();
    }

    @Override public String toText() {
      return samples.stream().map(s -> Values.text(s.value())).toList().toString();
    }
  }

  /** One point of a range series. */
  record Point(Instant time, double value) {
    public Point {
      Objects.requireNonNull(time, "time");
    }
  }

  /** One labelled series of a range vector. */
  record Series(Map<String, String> labels, List<Point> points) {
    public Series {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
      points = List.copyOf(points);
    }
  }

  /** A range vector (Prometheus {@code matrix}): points over time per series. */
  record Matrix(List<Series> series) implements MetricValue {
    public Matrix {
      series = List.copyOf(series);
    }

    @Override public boolean hasNoData() {
      return series.stream().allMatch(s -> s.points().isEmpty());
    }

    @Override public boolean hasNaN() {
      return series.stream().flatMap(s -> s.points().stream()).anyMatch(p -> Double.isNaN(p.value()));
    }

    @Override public Object toCel() {
      return series.stream().map(s -> s.points().stream().map(Point::value).toList()).toList();
    }

    @Override public String toText() {
      return series.stream().map(s -> s.points().stream().map(p -> Values.text(p.value())).toList().toString()).toList().toString();
    }
  }

  /**
   * Named figures ({@code {errorRate: 0.02, requests: 1200}}): values are numbers, strings,
   * booleans, lists and maps of those. An empty map has no data.
   */
  record Structured(Map<String, Object> values) implements MetricValue {
    public Structured {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
      values.forEach((k, v) -> Values.checkPlain(k, v));
    }

    @Override public boolean hasNoData() {
      return values.isEmpty();
    }

    @Override public boolean hasNaN() {
      return Values.anyNaN(values);
    }

    @Override public Object toCel() {
      return values;
    }

    @Override public String toText() {
      return Values.text(values);
    }
  }
}
