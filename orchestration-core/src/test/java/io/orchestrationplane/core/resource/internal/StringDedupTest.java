package io.orchestrationplane.core.resource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StringDedupTest {

  @Test
  void aJoinIsTheJoinedStringAndSharesItsSlot() {
    Random random = new Random(42);
    StringDedup dedup = new StringDedup(1 << 16);
    for (int i = 0; i < 20_000; i++) {
      String first = text(random);
      String second = text(random);
      String joined = dedup.dedup(first, '.', second);
      assertThat(joined).isEqualTo(first + "." + second);
      // the hash computed from the parts is the joined string's: a plain dedup finds the same instance
      assertThat(dedup.dedup(first + "." + second)).isSameAs(joined);
      assertThat(dedup.dedup(first, '.', second)).isSameAs(joined);
    }
  }

  @Test
  void partsThatJoinDifferentlyAreNotTakenForTheHeldString() {
    StringDedup dedup = new StringDedup(1);
    String held = dedup.dedup("a.b", '.', "c"); // "a.b.c" in the only slot
    assertThat(dedup.dedup("a", '.', "b.c")).isEqualTo("a.b.c").isSameAs(held); // equal text: shared
    assertThat(dedup.dedup("a", ':', "b.c")).isEqualTo("a:b.c");
    assertThat(dedup.dedup("a.b", '.', "cd")).isEqualTo("a.b.cd");
    assertThat(dedup.dedup("", '.', "")).isEqualTo(".");
    assertThat(dedup.dedup("ab", '.', "c")).isEqualTo("ab.c");
  }

  /** Up to 80 characters: ASCII, Latin-1, CJK and surrogate pairs, so that hashes overflow and differ in every way. */
  private static String text(Random random) {
    StringBuilder b = new StringBuilder();
    int length = random.nextInt(80);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> b.append((char) ('a' + random.nextInt(26)));
        case 1 -> b.append((char) (0xA0 + random.nextInt(0x60)));
        case 2 -> b.append((char) (0x4E00 + random.nextInt(0x1000)));
        default -> b.appendCodePoint(0x1F600 + random.nextInt(0x50));
      }
    }
    return b.toString();
  }
}
