package io.orchestrationplane.core.resource.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.GroupKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KindSetsTest {
  private static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  private static final GroupKind SERVICE = new GroupKind("", "Service");
  private static final GroupKind CONFIG_MAP = new GroupKind("", "ConfigMap");

  @Test
  void equalListsOfKindsGetOneUnmodifiableSetInTheirOrder() {
    Set<GroupKind> a = KindSets.shared(new LinkedHashSet<>(List.of(DEPLOYMENT, SERVICE, CONFIG_MAP)));
    Set<GroupKind> b = KindSets.shared(List.of(DEPLOYMENT, SERVICE, CONFIG_MAP));

    assertThat(b).isSameAs(a);
    assertThat(a).containsExactly(DEPLOYMENT, SERVICE, CONFIG_MAP);
    assertThatThrownBy(() -> a.add(new GroupKind("", "Secret"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theSameKindsInAnotherOrderKeepThatOrder() {
    Set<GroupKind> a = KindSets.shared(List.of(DEPLOYMENT, SERVICE));
    Set<GroupKind> b = KindSets.shared(List.of(SERVICE, DEPLOYMENT));

    assertThat(b).containsExactly(SERVICE, DEPLOYMENT).isEqualTo(a);
    assertThat(a).containsExactly(DEPLOYMENT, SERVICE);
  }

  @Test
  void aSetIsACopyTheCallerCanNoLongerChange() {
    List<GroupKind> given = new ArrayList<>(List.of(CONFIG_MAP, new GroupKind("batch", "Job")));
    Set<GroupKind> shared = KindSets.shared(given);
    given.add(SERVICE);

    assertThat(shared).containsExactly(CONFIG_MAP, new GroupKind("batch", "Job"));
  }

  @Test
  void aUnionWithNothingNewIsTheSetItselfAndOtherwiseAppendsInOrder() {
    Set<GroupKind> base = KindSets.shared(List.of(DEPLOYMENT, SERVICE));

    assertThat(KindSets.union(base, List.of(SERVICE))).isSameAs(base);
    assertThat(KindSets.union(base, List.of(CONFIG_MAP, DEPLOYMENT))).containsExactly(DEPLOYMENT, SERVICE, CONFIG_MAP)
        .isSameAs(KindSets.shared(List.of(DEPLOYMENT, SERVICE, CONFIG_MAP)));
  }

  @Test
  void manyDistinctListsAreEachAnsweredCorrectlyWhateverTheSlotsHold() {
    // more distinct lists than slots: sharing is lost for some, never the content
    for (int i = 0; i < 1_000; i++) {
      List<GroupKind> kinds = List.of(new GroupKind("g" + i, "K"), new GroupKind("", "K" + (i % 7)));
      assertThat(KindSets.shared(kinds)).containsExactlyElementsOf(kinds);
    }
  }
}
