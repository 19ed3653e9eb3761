package io.orchestrationplane.core.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An execution's outcomes as the audit counts them per cluster (in the clusters' name order, the
 * first failure's message kept), whether they fall in one cluster or several.
 */
class AuditMapperOutcomesTest {
  static Outcome outcome(String cluster, String name, WriteResult write) {
    ResourceKey key = new ResourceKey(cluster, "apps", "Deployment", "shop", name);
    Resource desired = Resource.of(Json.readJson("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", "
        + "\"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"shop\"}}"));
    return new Outcome(new Change(Change.Type.CREATE, key, "default", name, desired, null, List.of(), 0, null), write);
  }

  static List<AuditRecord.ClusterOutcome> mapped(List<Outcome> outcomes) {
    ExecutionResult result = new ExecutionResult(new Plan("shop.shop", List.of(), List.of()), outcomes, List.of());
    AuditMapper.Draft d = AuditMapper.map(new PlaneRecord.Executed(Instant.EPOCH, Subject.of("alice"), "shop.shop",
        result, "rev"));
    assertThat(d).isNotNull();
    return d.outcomes();
  }

  @Test
  void oneClusterCountsEachResultAndKeepsTheFirstFailure() {
    List<Outcome> os = List.of(
        outcome("prod", "a", new WriteResult.Created()),
        outcome("prod", "b", new WriteResult.Updated()),
        outcome("prod", "c", new WriteResult.Deleted()),
        outcome("prod", "d", new WriteResult.Unchanged()),
        outcome("prod", "e", new WriteResult.Waiting("waits for a")),
        outcome("prod", "f", new WriteResult.Conflict("changed since planning")),
        outcome("prod", "g", new WriteResult.Failed("quota exceeded", Optional.empty())),
        outcome("prod", "h", new WriteResult.Skipped("after a failure")));
    assertThat(mapped(os)).containsExactly(new AuditRecord.ClusterOutcome("prod", 2, 1, 1, 2, 1, 1,
        os.get(5).change().key().display() + ": " + os.get(5).message()));
    assertThat(mapped(List.of(outcome("prod", "a", new WriteResult.Created()))))
        .containsExactly(new AuditRecord.ClusterOutcome("prod", 1, 0, 0, 0, 0, 0, ""));
  }

  @Test
  void severalClustersInNameOrderEachWithItsFirstFailure() {
    List<Outcome> os = List.of(
        outcome("west", "a", new WriteResult.Failed("timeout", Optional.empty())),
        outcome("east", "a", new WriteResult.Created()),
        outcome("west", "b", new WriteResult.Conflict("gone")),
        outcome("east", "b", new WriteResult.Unchanged()));
    assertThat(mapped(os)).containsExactly(
        new AuditRecord.ClusterOutcome("east", 1, 0, 1, 0, 0, 0, ""),
        new AuditRecord.ClusterOutcome("west", 0, 0, 0, 2, 0, 0, os.get(0).change().key().display() + ": timeout"));
  }

  /** Random mixes against a plain reference count. */
  @Test
  void randomMixesMatchAReferenceCount() {
    Random random = new Random(17);
    List<java.util.function.Supplier<WriteResult>> writes = List.of(WriteResult.Created::new,
        WriteResult.Deleted::new, WriteResult.Unchanged::new, () -> new WriteResult.Failed("boom", Optional.empty()),
        () -> new WriteResult.Conflict("moved"), () -> new WriteResult.Waiting("later"),
        () -> new WriteResult.Skipped("skipped"));
    for (int round = 0; round < 200; round++) {
      int clusters = 1 + random.nextInt(3);
      List<Outcome> os = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
        os.add(outcome("c" + random.nextInt(clusters), "o" + i, writes.get(random.nextInt(writes.size())).get()));
      }
      List<AuditRecord.ClusterOutcome> expected = new ArrayList<>();
      os.stream().map(Outcome::cluster).distinct().sorted().forEach(cluster -> {
        int[] c = new int[6];
        String error = "";
        for (Outcome o : os) {
          if (!o.cluster().equals(cluster)) {
            continue;
          }
          switch (o.status()) {
            case APPLIED -> c[0]++;
            case DELETED -> c[1]++;
            case UNCHANGED -> c[2]++;
            case FAILED, CONFLICT -> {
              c[3]++;
              if (error.isEmpty()) {
                error = o.change().key().display() + ": " + o.message();
              }
            }
            case WAITING -> c[4]++;
            case SKIPPED -> c[5]++;
          }
        }
        expected.add(new AuditRecord.ClusterOutcome(cluster, c[0], c[1], c[2], c[3], c[4], c[5], error));
      });
      assertThat(mapped(os)).as("round %d", round).isEqualTo(expected);
    }
  }
}
