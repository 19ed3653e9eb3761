package io.orchestrationplane.core.seams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ResourceStatus;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * One test per invalidation rule of the plane's caches, as docs/architecture.md ("Caches")
 * states them. The planner's plan reuse is covered rule by rule in {@code PlannerReuseTest}, the
 * Kubernetes driver's informer-backed reads in {@code CachedReadsIT}.
 */
class CacheContractTest {
  private final ManualClock clock = ManualClock.create();
  private final Scheduler scheduler = Scheduler.manual(clock);
  private final InMemoryCluster eu = InMemoryCluster.builder("eu").clock(clock).build();
  private final CountingType counting = new CountingType();
  private final OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).scheduler(scheduler).workers(0)
      .resyncPeriod(Duration.ofMinutes(1)).cluster(eu).componentType(counting).build();

  @AfterEach
  void close() {
    plane.close();
    scheduler.close();
  }

  private static Application app(String name, String value) {
    return Application.builder(name).namespace("shop")
        .component(Component.builder("settings", "counted").property("value", value).build()).build();
  }

  @Test
  void renderCacheIsKeptWhileTheSubmittedApplicationIsTheSame() {
    plane.start();
    plane.submit(app("shop", "a"));
    plane.runPending();
    int renders = counting.renders.get();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(2)); // resyncs
      plane.runPending();
      plane.submit(app("shop", "a")); // an equal application, another instance
      plane.runPending();
    }
    assertThat(counting.renders.get()).isEqualTo(renders);
  }

  @Test
  void renderCacheIsReplacedWhenTheApplicationChanges() {
    plane.start();
    plane.submit(app("shop", "a"));
    plane.runPending();
    int renders = counting.renders.get();
    plane.submit(app("shop", "b"));
    plane.runPending();
    assertThat(counting.renders.get()).isEqualTo(renders + 1);
    assertThat(eu.get(ResourceKey.of("eu", "", "ConfigMap", "shop", "settings")).orElseThrow()
        .at("/data/value").asString()).isEqualTo("b");
  }

  @Test
  void renderCacheIsDroppedWhenTheApplicationIsRemovedOrThePlaneClosed() {
    plane.start();
    plane.submit(app("shop", "a"));
    plane.runPending();
    plane.remove(app("shop", "a"));
    plane.runPending();
    int renders = counting.renders.get();
    plane.plan(app("shop", "a"));
    assertThat(counting.renders.get()).as("rendered again after removal").isEqualTo(renders + 1);

    plane.close();
    assertThatThrownBy(() -> plane.submit(app("shop", "a"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void objectStatusesAreReusedForTheSamePlanAndReplacedByAWrite() {
    plane.apply(app("shop", "a"));
    List<ResourceStatus> first = plane.status(app("shop", "a")).resources();
    assertThat(plane.status(app("shop", "a")).resources()).as("same plan, same write results").isSameAs(first);

    eu.update(eu.get(ResourceKey.of("eu", "", "ConfigMap", "shop", "settings")).orElseThrow()
        .edit(t -> ((ObjectNode) t.get("data")).put("value", "drifted")));
    List<ResourceStatus> drifted = plane.status(app("shop", "a")).resources();
    assertThat(drifted).as("another plan").isNotSameAs(first);
    assertThat(drifted).singleElement().satisfies(r -> assertThat(r.inSync()).isFalse());

    plane.apply(app("shop", "a"));
    assertThat(plane.status(app("shop", "a")).resources()).as("a write result recorded")
        .singleElement().satisfies(r -> assertThat(r.inSync()).isTrue());
  }

  @Test
  void claimsAreReplacedOnSubmitAndDroppedOnRemoval() {
    plane.start();
    plane.submit(app("shop", "a"));
    plane.runPending();
    Application other = Application.builder("other").namespace("shop")
        .component(Component.builder("settings", "counted").property("value", "x").build()).build();
    assertThatThrownBy(() -> plane.submit(other)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("would be owned by two applications");

    plane.remove(app("shop", "a"));
    plane.runPending();
    plane.submit(other);
    plane.runPending();
    assertThat(plane.status(other).isReady()).isTrue();
  }

  /** Renders one ConfigMap and counts how often it renders. */
  static final class CountingType implements ComponentType {
    final AtomicInteger renders = new AtomicInteger();

    @Override
    public String name() {
      return "counted";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder().required("value", PropertyType.STRING, "the value").build();
    }

    @Override
    public Set<GroupKind> kinds() {
      return Set.of(new GroupKind("", "ConfigMap"));
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      renders.incrementAndGet();
      Resource cm = Resource.of("v1", "ConfigMap", null, context.component().name());
      return List.of(cm.edit(t -> t.putObject("data").put("value", properties.string("value"))));
    }
  }
}
