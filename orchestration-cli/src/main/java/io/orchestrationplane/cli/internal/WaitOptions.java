package io.orchestrationplane.cli.internal;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --wait}, {@code --timeout} and {@code --poll} of apply and rollback. */
final class WaitOptions {
  @Option(names = "--wait", description = "After applying, wait until the application is READY (every object in sync and healthy), or the timeout.")
  boolean wait;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
      description = "How long --wait waits: 90s, 5m, 1h, 500ms or ISO-8601 (PT5M). Default: ${DEFAULT-VALUE}.")
  Duration timeout = Duration.ofMinutes(5);

  @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "How often --wait looks again, at least 100ms. Default: ${DEFAULT-VALUE}.")
  Duration poll = Duration.ofSeconds(2);

  /** The command these options belong to, for which of them the command line gave. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The shortest {@code --poll}: a shorter one is no pause, and the wait would read status in a busy loop. */
  static final Duration MIN_POLL = Duration.ofMillis(100);

  /**
   * Refuses {@code --timeout} or {@code --poll} without {@code --wait} (an option that would be
   * read and ignored), and a {@code --poll} shorter than {@link #MIN_POLL}.
   */
  void check() {
    if (poll.compareTo(MIN_POLL) < 0) {
      throw CliException.invalid("--poll " + human(poll) + " is no pause: it must be at least " + human(MIN_POLL));
    }
    if (wait || command == null) {
      return;
    }
    var given = command.commandLine().getParseResult();
    for (String option : new String[] {"--timeout", "--poll"}) {
      if (given.hasMatchedOption(option)) {
        throw CliException.invalid(option + " only says how --wait waits: add --wait, or leave " + option + " out");
      }
    }
  }

  /** {@code 0s}, {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}: a duration as a person writes it. */
  static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s == 0 || s % 60 != 0) {
      return s < 120 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
    }
    long m = s / 60;
    return m % 60 == 0 ? (m / 60) + "h" : m < 60 ? m + "m" : (m / 60) + "h" + (m % 60) + "m";
  }
}
