package io.orchestrationplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Objects the plane sets only partly, against the form a Kubernetes API server stores them in
 * (kubernetes pkg/apis/core/v1/defaults.go and conversion.go): each pair is no difference when
 * only the server's defaulting or conversion separates them, and a difference when a value the
 * plane sets changed.
 */
class StoredDefaultsDiffTest {

  /**
   * A Secret's stringData is merged into data on write, overwriting data's value for the same key
   * (Convert_v1_Secret_To_core_Secret: "StringData overwrites Data"), and is never returned.
   */
  @ParameterizedTest(name = "data {0} + stringData {1} stored as data {2}: differs at [{3}]")
  @CsvSource(delimiter = '|', value = {
      // data.k = "old", stringData.k = "new": the server keeps "new"
      "{k: b2xk}|{k: new}|{k: bmV3}|",
      "{k: b2xk, j: ag==}|{k: new}|{k: bmV3, j: ag==}|",
      "{}|{k: new}|{k: bmV3}|",
      "{k: b2xk}|{}|{k: b2xk}|",
      // a real change still shows: on the stringData key, or on a data key stringData does not set
      "{k: b2xk}|{k: new}|{k: b2xk}|stringData.k",
      "{k: b2xk, j: ag==}|{k: new}|{k: bmV3, j: aw==}|data.j",
      "{k: b2xk, j: ag==}|{k: new}|{k: bmV3}|data.j",
  })
  void stringDataOverwritesDataForTheSameKey(String data, String stringData, String stored, String differs) {
    Resource desired = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        data: %s
        stringData: %s
        """.formatted(data, stringData));
    Resource live = Resource.fromYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop, resourceVersion: "3"}
        type: Opaque
        data: %s
        """.formatted(stored));
    var paths = Planner.diff(desired, live).stream().map(FieldDiff::path).toList();
    if (differs == null) {
      assertThat(paths).isEmpty();
    } else {
      assertThat(paths).containsExactly(differs);
    }
  }
}
