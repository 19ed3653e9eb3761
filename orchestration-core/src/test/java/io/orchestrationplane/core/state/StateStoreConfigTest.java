package io.orchestrationplane.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The store's limits and the result types keep their invariants. */
class StateStoreConfigTest {
  @Test
  void theDefaultLimitFitsAConfigMapAndTheBuilderRejectsBadValuesAtOnce() {
    assertThat(StateStore.Config.defaults().maxValueBytes()).isEqualTo(1_000_000).isLessThan(1024 * 1024);
    assertThat(StateStore.Config.custom().maxValueBytes(4096).build()).isEqualTo(new StateStore.Config(4096));
    assertThat(new StateStore.Config(4096).toBuilder().build().maxValueBytes()).isEqualTo(4096);

    assertThatThrownBy(() -> StateStore.Config.custom().maxValueBytes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxValueBytes must be between 1 and 2097152 (2 MiB), was 0");
    assertThatThrownBy(() -> new StateStore.Config(2 * 1024 * 1024 + 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 2097153");
  }

  @Test
  void resultsCannotSayWhatCannotHappen() {
    StateKey key = StateKey.of("workflows", "shop");
    assertThatThrownBy(() -> new VersionConflict(key, 3, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no conflict on workflows/shop: expected and current version are both 3");
    assertThatThrownBy(() -> new VersionConflict(key, -1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StateWriteResult.Written(key, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeleteResult.Deleted(key, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StateEntry(key, 0, Json().nullNode())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("version of workflows/shop must be >= 1, was 0");
    assertThatThrownBy(() -> new StateEntry(key, 1, Json().missingNode())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing node");
  }

  private static tools.jackson.databind.node.JsonNodeFactory Json() {
    return tools.jackson.databind.node.JsonNodeFactory.instance;
  }
}
