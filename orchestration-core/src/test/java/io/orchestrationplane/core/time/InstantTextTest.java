package io.orchestrationplane.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link InstantText#of} gives {@link Instant#toString()}'s text, inside its fast range and outside. */
class InstantTextTest {
  @Test
  void givesInstantToStringsTextForEveryYearAndFraction() {
    Random random = new Random(44); // a fixed seed: the same instants on every run
    long from = Instant.parse("-2000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("+12000-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 50_000; i++) {
      int nano = switch (i % 5) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        case 3 -> random.nextInt(10) * 100; // trailing zeros that are not whole microseconds
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(random.nextLong(from, to), nano);
      assertThat(InstantText.of(instant)).as(instant.toString()).isEqualTo(instant.toString());
    }
  }

  @Test
  void givesInstantToStringsTextAtTheEdges() {
    for (String text : List.of("1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59Z",
        "1000-01-01T00:00:00Z", "0999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
        "2026-12-03T17:20:05.100Z", "2026-12-03T17:20:05.000100Z", "2026-12-03T00:00:00.001Z", "0000-01-01T00:00:00Z")) {
      Instant instant = Instant.parse(text);
      assertThat(InstantText.of(instant)).as(text).isEqualTo(instant.toString());
    }
    for (Instant instant : List.of(Instant.EPOCH, Instant.ofEpochSecond(0, 1), Instant.ofEpochSecond(-1, 999_999_999),
        Instant.MIN, Instant.MAX)) {
      assertThat(InstantText.of(instant)).as(instant.toString()).isEqualTo(instant.toString());
    }
  }
}
