package io.orchestrationplane.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored instants' fast path reads what {@link Instant#parse} reads, and refuses what it refuses. */
class StateDocsTest {
  @Test
  void parsesEveryFormInstantToStringWritesAsInstantParseDoes() {
    Random random = new Random(42); // a fixed seed: the same instants on every run
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(Instant.parse("1000-01-01T00:00:00Z").getEpochSecond(),
          Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      String text = Instant.ofEpochSecond(second, nano).toString();
      assertThat(StateDocs.parseInstant(text)).as(text).isEqualTo(Instant.parse(text));
    }
    for (String text : List.of("2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "2026-12-03T17:20:05.5Z",
        "2026-12-03T17:20:05.123456789Z", "1970-01-01T00:00:00Z", "2026-12-31T23:59:60Z", "+12026-01-01T00:00:00Z",
        "0999-01-01T00:00:00Z", "2026-12-03T18:20:05+01:00")) {
      assertThat(StateDocs.parseInstant(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void readsOddFormsAndRefusesBadOnesAsInstantParseDoes() {
    for (String text : List.of("2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-12-03T24:00:00Z", "2026-12-03T17:60:00Z", "2026-12-03T17:20:05.Z", "2026-12-03T17:20:05.1234567890Z",
        "2026-12-03 17:20:05Z", "2026-12-0xT17:20:05Z", "2026-12-03T17:20:05")) {
      Instant expected;
      try {
        expected = Instant.parse(text);
      } catch (DateTimeParseException e) {
        assertThatThrownBy(() -> StateDocs.parseInstant(text)).as(text).isInstanceOf(DateTimeParseException.class);
        continue;
      }
      assertThat(StateDocs.parseInstant(text)).as(text).isEqualTo(expected); // 24:00 is the next day's 00:00
    }
  }

  @Test
  void formatsEveryInstantAsInstantToStringDoes() {
    Random random = new Random(43);
    for (int i = 0; i < 40_000; i++) {
      long second = random.nextLong(Instant.parse("0500-01-01T00:00:00Z").getEpochSecond(),
          Instant.parse("+10500-12-31T23:59:59Z").getEpochSecond());
      int nano = switch (i % 5) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        case 3 -> random.nextInt(10) * 100; // nanoseconds with trailing zeros that are not whole microseconds
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(second, nano);
      assertThat(StateDocs.toText(instant)).as(instant.toString()).isEqualTo(instant.toString());
    }
    for (String text : List.of("1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59Z",
        "1000-01-01T00:00:00Z", "0999-12-31T23:59:59Z", "9999-12-31T23:59:59.000000001Z", "+10000-01-01T00:00:00Z",
        "2026-12-03T17:20:05.100Z", "2026-12-03T17:20:05.000100Z", "2026-12-03T00:00:00.001Z")) {
      Instant instant = Instant.parse(text);
      assertThat(StateDocs.toText(instant)).as(text).isEqualTo(instant.toString());
      assertThat(StateDocs.format(instant)).as(text).isEqualTo(instant.toString());
    }
    assertThat(StateDocs.toText(Instant.MIN)).isEqualTo(Instant.MIN.toString());
    assertThat(StateDocs.toText(Instant.MAX)).isEqualTo(Instant.MAX.toString());
  }

  @Test
  void aStoredSubjectDecodesToWhatItHoldsNowWhateverWasDecodedBefore() {
    io.orchestrationplane.core.observe.Subject alice = new io.orchestrationplane.core.observe.Subject("alice",
        java.util.Set.of("ops", "dev"));
    io.orchestrationplane.core.observe.Subject bob = io.orchestrationplane.core.observe.Subject.of("bob");
    tools.jackson.databind.node.ObjectNode node = StateDocs.subject(alice);
    assertThat(StateDocs.subject(node)).isEqualTo(alice);
    assertThat(StateDocs.subject(node)).isEqualTo(alice);
    assertThat(StateDocs.subject(StateDocs.subject(bob))).isEqualTo(bob);
    assertThat(StateDocs.subject(node)).isEqualTo(alice);
    node.put("name", "carol"); // the same node, changed since it was decoded
    assertThat(StateDocs.subject(node)).isEqualTo(new io.orchestrationplane.core.observe.Subject("carol",
        java.util.Set.of("ops", "dev")));
    ((tools.jackson.databind.node.ArrayNode) node.get("groups")).remove(0);
    assertThat(StateDocs.subject(node).groups()).containsExactly("ops");
    node.put("name", "");
    assertThatThrownBy(() -> StateDocs.subject(node)).isInstanceOf(IllegalArgumentException.class);
  }
}
