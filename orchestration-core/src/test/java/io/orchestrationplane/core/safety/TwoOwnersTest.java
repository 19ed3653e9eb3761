package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.DriftPolicy;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 12, item 3: one object has one owner. Two applications (or two environments of one) that
 * would render the same object are refused, naming both; and when another writer keeps changing
 * an object back, the plane stops after a bounded number of corrections instead of fighting.
 */
class TwoOwnersTest {
  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();

  static Application app(String name, String configName) {
    return Application.builder(name).namespace("shop")
        .component(Component.builder("config", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: %s}
            data: {mode: fast}
            """.formatted(configName)).build())
        .build();
  }

  @Test
  void aSecondApplicationRenderingTheSameObjectIsRefusedAtSubmitAndPlanNamingBoth() {
    try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).workers(0)
        .scheduler(Scheduler.manual(clock)).build()) {
      plane.submit(app("first", "settings"));
      assertThatThrownBy(() -> plane.submit(app("second", "settings")))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("ConfigMap shop/settings on cluster prod would be owned by two applications")
          .hasMessageContaining("shop.first").hasMessageContaining("shop.second");
      assertThatThrownBy(() -> plane.plan(app("second", "settings")))
          .isInstanceOf(ValidationException.class).hasMessageContaining("shop.first");
      assertThat(plane.statuses()).containsOnlyKeys("shop.first");
      plane.submit(app("second", "other")); // a different object: fine
    }
  }

  @Test
  void aSetIsSubmittedWholeOrNotAtAll() {
    try (OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).workers(0)
        .scheduler(Scheduler.manual(clock)).build()) {
      plane.submit(app("first", "settings"));
      List<OrchestrationPlane.Submission> set = List.of(
          new OrchestrationPlane.Submission(app("a", "a-settings"), Origin.code()),
          new OrchestrationPlane.Submission(app("b", "settings"), Origin.code()));

      assertThatThrownBy(() -> plane.submitAll(set, DriftPolicy.CORRECT, Subject.local()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("ConfigMap shop/settings on cluster prod would be owned by two applications")
          .hasMessageContaining("shop.first").hasMessageContaining("shop.b");
      assertThat(plane.statuses()).containsOnlyKeys("shop.first");

      // two applications of one set may not render one object; the same id twice is refused
      assertThatThrownBy(() -> plane.submitAll(List.of(
              new OrchestrationPlane.Submission(app("a", "shared"), Origin.code()),
              new OrchestrationPlane.Submission(app("b", "shared"), Origin.code())), DriftPolicy.CORRECT, Subject.local()))
          .isInstanceOf(ValidationException.class).hasMessageContaining("submitted together")
          .hasMessageContaining("shop.a").hasMessageContaining("shop.b");
      assertThatThrownBy(() -> plane.submitAll(List.of(
              new OrchestrationPlane.Submission(app("a", "one"), Origin.code()),
              new OrchestrationPlane.Submission(app("a", "two"), Origin.code())), DriftPolicy.CORRECT, Subject.local()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shop.a is submitted twice");
      assertThat(plane.statuses()).containsOnlyKeys("shop.first");

      // an object may move from one application of the set to another, whatever their order
      List<Long> generations = plane.submitAll(List.of(
          new OrchestrationPlane.Submission(app("b", "settings"), Origin.code()),
          new OrchestrationPlane.Submission(app("first", "first-settings"), Origin.code())),
          DriftPolicy.CORRECT, Subject.local());
      assertThat(generations).hasSize(2);
      assertThat(plane.statuses()).containsOnlyKeys("shop.first", "shop.b");
      assertThatThrownBy(() -> plane.submit(app("c", "settings"))).hasMessageContaining("shop.b");
    }
  }

  @Test
  void twoEnvironmentsRenderingTheSameObjectOnOneClusterAreRefused() {
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).build();
    Application twice = app("shop", "settings").toBuilder()
        .environment(Environment.builder("blue").clusters("prod").build())
        .environment(Environment.builder("green").clusters("prod").build())
        .build();
    assertThatThrownBy(() -> plane.plan(twice)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("ConfigMap shop/settings on cluster prod is rendered by environment 'blue' and by "
            + "environment 'green'");
    assertThat(cluster.size()).isZero();
  }

  @Test
  void anotherControllerThatKeepsRevertingAFieldIsNotFoughtForever() {
    ResourceKey settings = ResourceKey.of("prod", "", "ConfigMap", "shop", "settings");
    AtomicBoolean fighting = new AtomicBoolean(true);
    // Another controller sets mode=slow whenever the object changes to anything else.
    AutoCloseable rival = cluster.watch(List.of(new GroupKind("", "ConfigMap")), e -> {
      Resource r = e.resource();
      if (fighting.get() && e.type() != WatchEvent.Type.DELETED && r.name().equals("settings")
          && !"slow".equals(r.at("/data/mode").asString())) {
        cluster.update(r.edit(t -> ((ObjectNode) t.get("data")).put("mode", "slow")));
      }
    });
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).workers(0)
            .scheduler(scheduler).driftCorrectionLimits(3, Duration.ofMinutes(10), Duration.ofSeconds(1)).build()) {
      plane.start();
      Application app = app("shop", "settings");
      plane.submit(app);
      long before = cluster.stats().updates();
      for (int second = 0; second < 60; second++) {
        plane.runPending();
        clock.advance(Duration.ofSeconds(1));
      }
      long corrections = cluster.stats().updates() - before;
      // the rival's own updates count too: at most 3 corrections and 3 answers, plus the first answer
      assertThat(corrections).as("writes to the contested object in a minute").isLessThanOrEqualTo(7);
      ApplicationStatus status = plane.status(app);
      assertThat(status.phase()).isEqualTo(Phase.DEGRADED);
      assertThat(status.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
        assertThat(c.reason()).isEqualTo("FightingWriter");
        assertThat(c.message()).contains("ConfigMap shop/settings (cluster prod) keeps being changed back")
            .contains("data.mode").contains("stopped writing it");
      });
      assertThat(cluster.get(settings).orElseThrow().at("/data/mode").asString()).isEqualTo("slow");

      // The rival stops; once the window has passed the plane converges again.
      fighting.set(false);
      clock.advance(Duration.ofMinutes(11));
      plane.runPending();
      assertThat(plane.status(app).phase()).isEqualTo(Phase.READY);
      assertThat(cluster.get(settings).orElseThrow().at("/data/mode").asString()).isEqualTo("fast");
      rival.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
