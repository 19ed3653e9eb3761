package io.orchestrationplane.core.resource.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import org.junit.jupiter.api.Test;

/** Objects of one shape share one skeleton text; the text itself is what it was. */
class SkeletonDedupTest {
  @Test
  void anEqualTextSeenBeforeIsTheOneAnswered() {
    StringDedup dedup = new StringDedup(4);
    String first = new String("{\"a\":1}");
    String again = new String("{\"a\":1}");

    assertThat(dedup.dedup(first)).isSameAs(first);
    assertThat(dedup.dedup(again)).isSameAs(first);
    String other = new String("{\"b\":1}");
    assertThat(dedup.dedup(other)).isEqualTo("{\"b\":1}");
  }

  @Test
  void aSlotHoldsTheLatestTextSoNothingGrows() {
    StringDedup dedup = new StringDedup(1);
    String a = new String("a");
    String b = new String("b");
    dedup.dedup(a);
    dedup.dedup(b);

    String a2 = new String("a");
    assertThat(dedup.dedup(a2)).isSameAs(a2); // a was replaced: an equal text, not a wrong one
    assertThatThrownBy(() -> new StringDedup(3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoObjectsOfOneShapeShareTheirSkeletonText() {
    String service = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"t%s\"},"
        + "\"spec\":{\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}}";
    GroupKind kind = GroupKind.of("v1", "Service");
    String one = Skeleton.appliedFields(Json.readJson(service.formatted("a", "1")), kind);
    String two = Skeleton.appliedFields(Json.readJson(service.formatted("b", "2")), kind);

    assertThat(two).isSameAs(one);
    assertThat(one).isEqualTo(Skeleton.appliedFields(Json.readJson(service.formatted("c", "3")), kind));
    assertThat(one).contains("\"port=80,protocol=TCP\"");
  }
}
