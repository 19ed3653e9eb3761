package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {
  private static final List<String> KEYS = IntStream.range(0, 20_000).mapToObj(i -> "team-" + (i % 37) + ".app-" + i)
      .toList();

  @Test
  void anApplicationAlwaysMapsToTheSameShardInRange() {
    for (String key : KEYS.subList(0, 500)) {
      int shard = ShardAssignment.shardOf(key, 12);
      assertThat(shard).isBetween(0, 11).isEqualTo(ShardAssignment.shardOf(key, 12));
    }
    assertThat(ShardAssignment.shardOf("shop.api", 1)).isZero();
  }

  @Test
  void applicationsSpreadEvenlyOverShards() {
    int[] counts = new int[16];
    KEYS.forEach(k -> counts[ShardAssignment.shardOf(k, 16)]++);
    int expected = KEYS.size() / 16;
    for (int c : counts) {
      assertThat(c).isBetween(expected * 85 / 100, expected * 115 / 100);
    }
  }

  @Test
  void addingAShardMovesAboutItsShareOfApplicationsAndOnlyIntoTheNewShard() {
    int moved = 0;
    for (String key : KEYS) {
      int before = ShardAssignment.shardOf(key, 10);
      int after = ShardAssignment.shardOf(key, 11);
      if (before != after) {
        moved++;
        assertThat(after).as(key).isEqualTo(10);
      }
    }
    // ideal: 1/11 of the keys
    assertThat(moved).isBetween(KEYS.size() / 11 * 85 / 100, KEYS.size() / 11 * 115 / 100);
  }

  @Test
  void everyShardHasOneOwnerAndLoadsDifferByAtMostOne() {
    for (int size = 1; size <= 7; size++) {
      int n = size;
      List<String> replicas = replicas(n);
      for (int shards : new int[] {1, 5, 12, 64, 240}) {
        Map<Integer, String> owners = ShardAssignment.owners(shards, replicas);
        assertThat(owners).hasSize(shards);
        Map<String, Integer> load = new HashMap<>();
        owners.values().forEach(r -> load.merge(r, 1, Integer::sum));
        assertThat(load.values()).as("%d shards over %d replicas", shards, n)
            .allMatch(l -> l == shards / n || l == shards / n + 1);
        if (shards >= n) {
          assertThat(load).as("every replica gets work").hasSize(n);
        }
      }
    }
    assertThat(ShardAssignment.owners(4, List.of())).isEmpty();
  }

  @Test
  void theAssignmentDoesNotDependOnTheOrderReplicasAreListedIn() {
    List<String> replicas = replicas(5);
    List<String> reversed = new ArrayList<>(replicas);
    java.util.Collections.reverse(reversed);
    assertThat(ShardAssignment.owners(64, reversed)).isEqualTo(ShardAssignment.owners(64, replicas));
  }

  @Test
  void aJoiningReplicaMovesAboutOneNthOfTheShards() {
    int shards = 240;
    for (int n = 2; n <= 8; n++) {
      Map<Integer, String> before = ShardAssignment.owners(shards, replicas(n));
      Map<Integer, String> after = ShardAssignment.owners(shards, replicas(n + 1));
      long moved = IntStream.range(0, shards).filter(s -> !before.get(s).equals(after.get(s))).count();
      long ideal = shards / (n + 1); // what the newcomer must take for balance
      System.out.printf("join %d->%d: moved %d of %d (ideal %d)%n", n, n + 1, moved, shards, ideal);
      assertThat(moved).as("%d -> %d replicas", n, n + 1).isBetween(ideal, ideal * 3 / 2);
    }
  }

  @Test
  void aLeavingReplicaMovesItsOwnShardsAndFewOthers() {
    int shards = 240;
    for (int n = 3; n <= 8; n++) {
      List<String> all = replicas(n);
      Map<Integer, String> before = ShardAssignment.owners(shards, all);
      String leaving = all.get(n / 2);
      Map<Integer, String> after = ShardAssignment.owners(shards, all.stream().filter(r -> !r.equals(leaving)).toList());
      long its = before.values().stream().filter(leaving::equals).count();
      long moved = IntStream.range(0, shards).filter(s -> !before.get(s).equals(after.get(s))).count();
      System.out.printf("leave %d->%d: moved %d of %d (its own %d)%n", n, n - 1, moved, shards, its);
      assertThat(moved).as("%d -> %d replicas", n, n - 1).isBetween(its, its * 3 / 2);
    }
  }

  @Test
  void shardCountsOutsideTheRangeAreRejected() {
    assertThatThrownBy(() -> ShardAssignment.shardOf("a.b", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shards must be between 1 and 4096, got 0");
    assertThatThrownBy(() -> ShardAssignment.owners(5000, List.of("a"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> replicas(int n) {
    return IntStream.range(0, n).mapToObj(i -> "plane-" + i).toList();
  }
}
