package io.orchestrationplane.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * When changes may reach environments, with Argo CD's sync-window semantics: a window opens at
 * each firing of its cron {@code schedule} (in {@code zone}) and stays open for {@code duration}.
 * A change to an environment is blocked while any DENY window of it is open, or, when it has
 * ALLOW windows, while none of them is open. Evaluated on the plane's clock.
 *
 * <pre>{@code
 * ChangeWindow.allow("0 9 * * 1-5", Duration.ofHours(7), ZoneId.of("Europe/Berlin"), "prod")   // weekdays 09:00-16:00
 * ChangeWindow.deny("0 0 20 12 *", Duration.ofDays(13), ZoneId.of("Europe/Berlin"), "prod")    // 20 Dec - 2 Jan
 *     .overridableBy(ApprovalRule.ofGroups(1, "sre"))
 * }</pre>
 *
 * @param kind ALLOW or DENY
 * @param environments the environments it applies to; empty means every environment
 * @param schedule when the window opens
 * @param duration how long it stays open, 1 minute to 100 years
 * @param zone the time zone of the schedule
 * @param override who may let a change through while this window blocks it (an approval recorded
 *     for the release); null: nobody
 */
public record ChangeWindow(Kind kind, Set<String> environments, CronSchedule schedule, Duration duration, ZoneId zone,
    @Nullable ApprovalRule override) {

  /** Whether a window allows or denies changes while open. */
  public enum Kind { ALLOW, DENY }

  public ChangeWindow {
    Objects.requireNonNull(kind, "kind");
    environments = Set.copyOf(new TreeSet<>(Objects.requireNonNull(environments, "environments")));
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(zone, "zone");
    if (duration == null || duration.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("a change window lasts at least 1 minute, got " + duration);
    }
    if (duration.compareTo(Workflow.MAX_DURATION) > 0) {
      throw new IllegalArgumentException("a change window lasts at most 100 years (36500d), got " + duration);
    }
  }

  /** An ALLOW window for the environments (none named: all). */
  public static ChangeWindow allow(String cron, Duration duration, ZoneId zone, String... environments) {
    return new ChangeWindow(Kind.ALLOW, Set.of(environments), CronSchedule.parse(cron), duration, zone, null);
  }

  /** A DENY window for the environments (none named: all). */
  public static ChangeWindow deny(String cron, Duration duration, ZoneId zone, String... environments) {
    return new ChangeWindow(Kind.DENY, Set.of(environments), CronSchedule.parse(cron), duration, zone, null);
  }

  /** This window, which {@code rule}'s approvers may override for one release. */
  public ChangeWindow overridableBy(ApprovalRule rule) {
    return new ChangeWindow(kind, environments, schedule, duration, zone, Objects.requireNonNull(rule, "rule"));
  }

  /** Whether it applies to the environment. */
  public boolean covers(String environment) {
    return environments.isEmpty() || environments.contains(environment);
  }

  /** When the window containing {@code time} opened, if it is open then. */
  public Optional<Instant> openedAt(Instant time) {
    LocalDateTime local = LocalDateTime.ofInstant(time, zone).truncatedTo(ChronoUnit.MINUTES);
    // the latest start at or before the time ends last: if it does not cover the time, none does
    return schedule.latestAtOrBefore(local).map(s -> ZonedDateTime.of(s, zone).toInstant())
        .filter(start -> !start.isAfter(time) && time.isBefore(start.plus(duration)));
  }

  /** Whether the window is open at {@code time}. */
  public boolean isOpen(Instant time) {
    return openedAt(time).isPresent();
  }

  /** When the window open at {@code time} closes; empty if it is closed then. */
  public Optional<Instant> closesAfter(Instant time) {
    return openedAt(time).map(s -> s.plus(duration));
  }

  /** The next opening strictly after {@code time}. */
  public Optional<Instant> nextOpening(Instant time) {
    return schedule.nextAfter(LocalDateTime.ofInstant(time, zone)).map(s -> ZonedDateTime.of(s, zone).toInstant());
  }

  /** {@code deny prod "0 0 20 12 *" for PT312H (Europe/Berlin)}. */
  public String describe() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + (environments.isEmpty() ? "all environments"
        : String.join(",", new TreeSet<>(environments))) + " \"" + schedule + "\" for " + duration + " (" + zone + ")";
  }

  /**
   * Whether changes may reach {@code environment} at {@code time} under {@code windows}, and if
   * not, which windows block and when it opens next (searched over the windows' boundaries for
   * up to a year).
   */
  public static Verdict evaluate(List<ChangeWindow> windows, String environment, Instant time) {
    List<ChangeWindow> mine = windows.stream().filter(w -> w.covers(environment)).toList();
    List<ChangeWindow> blocking = blocking(mine, time);
    if (blocking.isEmpty()) {
      return new Verdict(true, List.of(), Optional.empty());
    }
    Instant t = time;
    Instant limit = time.plus(Duration.ofDays(366));
    Optional<Instant> opens = Optional.empty();
    for (int i = 0; i < 10_000 && t.isBefore(limit); i++) {
      Instant next = null;
      Instant at = t;
      for (ChangeWindow w : mine) {
        Optional<Instant> boundary = w.kind == Kind.DENY ? w.closesAfter(at).or(() -> w.nextOpening(at).map(o -> o.plus(w.duration)))
            : w.nextOpening(at);
        if (boundary.isPresent() && boundary.get().isAfter(t) && (next == null || boundary.get().isBefore(next))) {
          next = boundary.get();
        }
      }
      if (next == null) {
        break;
      }
      if (blocking(mine, next).isEmpty()) {
        opens = Optional.of(next);
        break;
      }
      t = next;
    }
    return new Verdict(false, blocking, opens);
  }

  private static List<ChangeWindow> blocking(List<ChangeWindow> mine, Instant time) {
    List<ChangeWindow> out = new ArrayList<>();
    boolean anyAllow = false;
    boolean allowOpen = false;
    for (ChangeWindow w : mine) {
      if (w.kind == Kind.DENY && w.isOpen(time)) {
        out.add(w);
      } else if (w.kind == Kind.ALLOW) {
        anyAllow = true;
        allowOpen |= w.isOpen(time);
      }
    }
    if (anyAllow && !allowOpen) {
      mine.stream().filter(w -> w.kind == Kind.ALLOW).forEach(out::add);
    }
    return out;
  }

  /**
   * The answer of {@link #evaluate}.
   *
   * @param allowed whether a change may go now
   * @param blocking the windows that block it (open DENY windows; or every ALLOW window, none being open)
   * @param opensAt when it may go next, if found within a year
   */
  public record Verdict(boolean allowed, List<ChangeWindow> blocking, Optional<Instant> opensAt) {
    public Verdict {
      blocking = List.copyOf(blocking);
    }
  }
}
