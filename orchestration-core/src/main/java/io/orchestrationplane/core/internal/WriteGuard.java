package io.orchestrationplane.core.internal;

import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Keeps continuous mode from writing one object over and over. Two patterns are caught, per
 * object, among the writes that correct drift (a new desired state always goes through):
 * <ul>
 *   <li><b>A fight</b>: another writer keeps changing the object back. After {@code maxFlips}
 *       corrections within {@code window} the plane stops correcting it until the window has
 *       passed since the last one (or the desired state changes), and says who it fights.
 *   <li><b>A write loop</b>: the cluster stores the object in another form than written (a
 *       default, a normalization, a webhook), so the write never makes it equal. After the same
 *       difference survives two writes, further writes wait, with backoff from one minute to an
 *       hour, and status shows the live and desired forms of the fields.
 * </ul>
 * Besides, two corrections of one object are at least {@code minInterval} apart. Thread-safe.
 */
final class WriteGuard {
  /** Why a write waits. */
  enum Kind { FIGHT, LOOP, RATE }

  /** A write held back, until when, and why in words. */
  record Hold(Kind kind, Instant until, String message) {}

  private static final Duration LOOP_FIRST_BACKOFF = Duration.ofMinutes(1);
  private static final Duration LOOP_MAX_BACKOFF = Duration.ofHours(1);

  private final int maxFlips;
  private final Duration window;
  private final Duration minInterval;
  private final Map<ResourceKey, State> states = new ConcurrentHashMap<>();
  /** Which objects of each application have a {@link State}, so that forgetting one costs its own objects only. */
  private final Map<String, Set<ResourceKey>> keysByApplication = new ConcurrentHashMap<>();

  /** What is known of one object's recent writes. Guarded by itself. */
  private static final class State {
    final String application;
    final Deque<Instant> corrections = new ArrayDeque<>();
    String lastFields = "";
    String otherWriters = "";
    // the write loop: a difference that survived writes
    @Nullable String loopDiff;
    int loopWrites;
    Duration loopBackoff = LOOP_FIRST_BACKOFF;
    @Nullable Instant loopUntil;
    String loopDetail = "";

    State(String application) {
      this.application = application;
    }
  }

  WriteGuard(int maxFlips, Duration window, Duration minInterval) {
    if (maxFlips < 2) {
      throw new IllegalArgumentException("maxFlips must be at least 2, was " + maxFlips);
    }
    this.maxFlips = maxFlips;
    this.window = Objects.requireNonNull(window, "window");
    this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
  }

  /** Why the drift correction {@code change} must wait now, or null when it may be written. */
  @Nullable Hold check(Change change, Instant now) {
    State s = states.get(change.key());
    if (s == null) {
      return null;
    }
    synchronized (s) {
      prune(s, now);
      String what = change.key().display() + " (cluster " + change.key().cluster() + ")";
      if (s.corrections.size() >= maxFlips) {
        Instant until = s.corrections.peekLast().plus(window);
        return new Hold(Kind.FIGHT, until, what + " keeps being changed back by another writer"
            + (s.otherWriters.isEmpty() ? "" : " (" + s.otherWriters + ")") + ": corrected " + s.corrections.size()
            + " times in " + human(window) + (s.lastFields.isEmpty() ? "" : " (" + s.lastFields + ")")
            + "; the plane stopped writing it until " + until + " or a new desired state");
      }
      if (s.loopUntil != null && now.isBefore(s.loopUntil) && s.loopDiff != null
          && s.loopDiff.equals(paths(change.diffs()))) {
        return new Hold(Kind.LOOP, s.loopUntil, what + " is stored in another form than the plane writes, so writing"
            + " it again changes nothing (written " + s.loopWrites + " times): " + s.loopDetail + "; next attempt at "
            + s.loopUntil + " (ignore the field or normalize it to stop this)");
      }
      Instant lastCorrection = s.corrections.peekLast();
      if (lastCorrection != null && Duration.between(lastCorrection, now).compareTo(minInterval) < 0) {
        Instant until = lastCorrection.plus(minInterval);
        return new Hold(Kind.RATE, until, what + " was corrected " + Duration.between(lastCorrection, now).toMillis()
            + "ms ago; the next correction waits until " + until);
      }
      return null;
    }
  }

  /**
   * Records a write: {@code correction} when it corrected drift (not a new desired state);
   * {@code stillDiffering} is what differs between the desired object and the stored result
   * (empty when the write made them equal); {@code otherWriters} names who else recently wrote it.
   */
  void written(String application, Change change, boolean correction, List<FieldDiff> stillDiffering,
      String otherWriters, Instant now) {
    State s = !correction && stillDiffering.isEmpty()
        ? states.get(change.key()) // a clean write of an object without history leaves nothing to remember
        : states.computeIfAbsent(change.key(), k -> {
          keysByApplication.computeIfAbsent(application, a -> ConcurrentHashMap.newKeySet()).add(k);
          return new State(application);
        });
    if (s == null) {
      return;
    }
    synchronized (s) {
      prune(s, now);
      if (correction) {
        s.corrections.addLast(now);
        s.lastFields = paths(change.diffs());
        s.otherWriters = otherWriters == null ? "" : otherWriters;
      }
      String still = paths(stillDiffering);
      if (stillDiffering.isEmpty()) {
        s.loopDiff = null;
        s.loopWrites = 0;
        s.loopBackoff = LOOP_FIRST_BACKOFF;
        s.loopUntil = null;
      } else if (still.equals(s.loopDiff)) {
        s.loopWrites++;
        s.loopUntil = now.plus(s.loopBackoff);
        s.loopBackoff = s.loopBackoff.multipliedBy(2).compareTo(LOOP_MAX_BACKOFF) > 0
            ? LOOP_MAX_BACKOFF : s.loopBackoff.multipliedBy(2);
        s.loopDetail = stillDiffering.stream().map(d -> d.path() + " live " + show(d.before()) + ", desired "
            + show(d.after())).collect(Collectors.joining("; "));
      } else {
        s.loopDiff = still;
        s.loopWrites = 1;
        s.loopUntil = null; // once may be a race; the same difference after a second write is a loop
      }
    }
  }

  /** Forgets an application's history: its desired state changed, or it was removed. */
  void forget(String application) {
    Set<ResourceKey> keys = keysByApplication.remove(application);
    if (keys != null) {
      for (ResourceKey key : keys) {
        states.computeIfPresent(key, (k, s) -> s.application.equals(application) ? null : s);
      }
    }
  }

  private void prune(State s, Instant now) {
    while (!s.corrections.isEmpty() && !s.corrections.peekFirst().isAfter(now.minus(window))) {
      s.corrections.removeFirst();
    }
  }

  private static String paths(List<FieldDiff> diffs) {
    return diffs.stream().map(FieldDiff::path).collect(Collectors.joining(", "));
  }

  private static String show(tools.jackson.databind.@Nullable JsonNode v) {
    if (v == null) {
      return "(absent)";
    }
    String s = Json.writeJson(v);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String human(Duration d) {
    return io.orchestrationplane.core.status.StatusRules.human(d);
  }
}
