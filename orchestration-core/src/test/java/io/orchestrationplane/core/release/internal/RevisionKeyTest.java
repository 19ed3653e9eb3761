package io.orchestrationplane.core.release.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Revision keys carry the number in ten zero-padded digits, so that name order is number order. */
class RevisionKeyTest {

  @Test
  void numbersArePaddedToTenDigitsAsFormatPadsThem() {
    for (long n : List.of(1L, 9L, 10L, 99L, 100L, 12_345L, 999_999_999L, 1_000_000_000L, 9_999_999_999L)) {
      assertThat(RevisionLog.padded(n)).as("%d", n).isEqualTo(String.format("%010d", n)).hasSize(10);
    }
    for (long n = 1; n < 100_000_000_000L; n = n * 7 + 3) {
      assertThat(RevisionLog.padded(n)).isEqualTo(String.format("%010d", n));
    }
  }
}
