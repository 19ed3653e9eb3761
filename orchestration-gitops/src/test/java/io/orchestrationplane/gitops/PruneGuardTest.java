package io.orchestrationplane.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PruneGuardTest {
  final PruneGuard guard = PruneGuard.defaults();

  @Test
  void nothingToRemoveIsNeverHeld() {
    assertThat(guard.holds(0, 0, 0)).isNull();
    assertThat(guard.holds(0, 5, 0)).isNull();
  }

  @Test
  void aSourceThatYieldsNothingHoldsEveryRemovalUnlessAllowed() {
    assertThat(guard.holds(1, 1, 0)).contains("yields no application");
    assertThat(new PruneGuard(1, 0.5, true).holds(1, 1, 0)).isNull();
    assertThat(PruneGuard.disabled().holds(10, 10, 0)).isNull();
  }

  @Test
  void removalsUpToTheFractionOrTheAlwaysAllowedCountPass() {
    assertThat(guard.holds(1, 1, 1)).as("renaming the only application").isNull();
    assertThat(guard.holds(5, 10, 5)).isNull();
    assertThat(guard.holds(6, 10, 4)).contains("removing 6 of 10 applications exceeds the prune guard (at most 5)");
    assertThat(guard.holds(2, 3, 1)).contains("(at most 1)");
    assertThat(new PruneGuard(0, 0, false).holds(1, 10, 9)).contains("at most 0");
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> new PruneGuard(-1, 0.5, false)).hasMessageContaining("removalsAlwaysAllowed");
    assertThatThrownBy(() -> new PruneGuard(1, 1.5, false)).hasMessageContaining("maxRemovalFraction");
    assertThatThrownBy(() -> new PruneGuard(1, Double.NaN, false)).hasMessageContaining("maxRemovalFraction");
  }
}
