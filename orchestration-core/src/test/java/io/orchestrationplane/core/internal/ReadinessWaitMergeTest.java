package io.orchestrationplane.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How applyAndWait's rounds add up to one execution result. */
class ReadinessWaitMergeTest {
  private static final ResourceKey DB = new ResourceKey("prod", "apps", "Deployment", "shop", "db");
  private static final ResourceKey API = new ResourceKey("prod", "apps", "Deployment", "shop", "api");
  private static final ResourceKey WEB = new ResourceKey("prod", "apps", "Deployment", "shop", "web");

  private static Outcome outcome(ResourceKey key, Change.Type type, WriteResult write) {
    Resource desired = Resource.of(Json.readJson("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", "
        + "\"metadata\": {\"name\": \"" + key.name() + "\", \"namespace\": \"shop\"}}"));
    return new Outcome(new Change(type, key, "default", key.name(), desired, null, List.of(), 0, null), write);
  }

  private static ExecutionResult result(Outcome... outcomes) {
    return new ExecutionResult(new Plan("shop.shop", List.of(), List.of()), List.of(outcomes));
  }

  @Test
  void laterRoundsSettleWhatEarlierOnesHeldBackAndKeepWhatTheyWrote() {
    ExecutionResult first = result(
        outcome(DB, Change.Type.CREATE, new WriteResult.Created()),
        outcome(API, Change.Type.CREATE, new WriteResult.Waiting("waits for db")),
        outcome(WEB, Change.Type.CREATE, new WriteResult.Waiting("waits for api")));
    ExecutionResult second = result(
        outcome(DB, Change.Type.UNCHANGED, new WriteResult.Unchanged()),
        outcome(API, Change.Type.CREATE, new WriteResult.Created()),
        outcome(WEB, Change.Type.UNCHANGED, new WriteResult.Unchanged())); // written by someone else meanwhile

    ExecutionResult merged = ReadinessWait.merge(first, second);

    assertThat(merged.outcomes()).extracting(o -> o.change().key().name() + " " + o.write().describe())
        .containsExactly("db created", "api created", "web unchanged");
    assertThat(merged.isComplete()).isTrue();
    assertThat(merged.plan()).isSameAs(second.plan());
  }
}
