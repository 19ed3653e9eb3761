package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 4: no input stops the plane. Dependency chains of any length are handled
 * without recursion, and a failure of any kind in one application's reconcile (a stack overflow
 * or an out-of-memory error from a type included) becomes that application's error, while the
 * worker lives on and the other applications converge.
 */
class HostileInputTest {
  /** Renders nothing: cheap enough for a hundred thousand components. */
  static final class Nothing implements ComponentType {
    @Override
    public String name() {
      return "nothing";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.EMPTY;
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      return List.of();
    }
  }

  /** Fails the way the named error says, every time it renders. */
  static final class Failing implements ComponentType {
    private final String name;

    Failing(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.EMPTY;
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      if (name.equals("overflows")) {
        return render(context, properties); // unbounded recursion
      }
      long[] huge = new long[Integer.MAX_VALUE]; // more than any heap: OutOfMemoryError at once
      return List.of(Resource.of("v1", "ConfigMap", "", "x" + huge.length));
    }
  }

  static Application chain(int length, boolean cyclic) {
    Application.Builder b = Application.builder("chain").namespace("chain");
    for (int i = 0; i < length; i++) {
      Component.Builder c = Component.builder("c" + i, "nothing");
      if (i > 0) {
        c.dependsOn("c" + (i - 1));
      } else if (cyclic) {
        c.dependsOn("c" + (length - 1));
      }
      b.component(c.build());
    }
    return b.build();
  }

  @Test
  void aDependencyChainOfAHundredThousandIsValidatedAndPlannedWithoutRecursion() {
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod"))
        .componentType(new Nothing()).build();
    Plan plan = plane.plan(chain(100_000, false));
    assertThat(plan.changes()).isEmpty();
    assertThatThrownBy(() -> plane.validate(chain(100_000, true))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("dependency cycle: c0 -> c99999 -> c99998").hasMessageContaining("more) ->");
  }

  @Test
  void aTypeThatOverflowsTheStackOrRunsOutOfMemoryIsRefusedWithAClearError() {
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod"))
        .componentType(new Failing("overflows")).componentType(new Failing("exhausts")).build();
    assertThatThrownBy(() -> plane.plan(Application.builder("a").namespace("x")
        .component(Component.builder("c", "overflows").build()).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("spec.components[0].type")
        .hasMessageContaining("overflows failed to render: StackOverflowError");
    assertThatThrownBy(() -> plane.plan(Application.builder("b").namespace("x")
        .component(Component.builder("c", "exhausts").build()).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("exhausts failed to render: OutOfMemoryError");
  }

  @Test
  void aReconcileThatOverflowsTheStackOrRunsOutOfMemoryFailsOnlyItsApplication() throws Exception {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    // a cluster whose reads for two applications fail as badly as a JVM can
    io.orchestrationplane.core.FlakyDriver hostile = new io.orchestrationplane.core.FlakyDriver(cluster) {
      @Override
      public List<Resource> list(java.util.Collection<io.orchestrationplane.core.resource.GroupKind> kinds, String namespace,
          java.util.Map<String, String> labels) {
        String app = labels.get(io.orchestrationplane.core.resource.Ownership.APPLICATION_LABEL);
        if ("x.a".equals(app)) {
          return list(kinds, namespace, labels); // unbounded recursion
        }
        if ("x.b".equals(app)) {
          throw new OutOfMemoryError("Java heap space");
        }
        return super.list(kinds, namespace, labels);
      }
    };
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(hostile).workers(1).build()) {
      plane.start();
      Application overflows = app("a", "one");
      Application exhausts = app("b", "two");
      Application fine = app("c", "three");
      plane.submit(overflows);
      plane.submit(exhausts);
      plane.submit(fine);
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();

      assertThat(plane.status(overflows).phase()).isEqualTo(Phase.DEGRADED);
      assertThat(plane.status(overflows).condition(Condition.DEGRADED).orElseThrow().message())
          .contains("StackOverflowError");
      assertThat(plane.status(exhausts).phase()).isEqualTo(Phase.DEGRADED);
      assertThat(plane.status(exhausts).condition(Condition.DEGRADED).orElseThrow().message())
          .contains("OutOfMemoryError");
      // the one worker survived both and converged the third application
      assertThat(plane.status(fine).phase()).isEqualTo(Phase.READY);
      assertThat(cluster.get(io.orchestrationplane.core.resource.ResourceKey.of("prod", "", "ConfigMap", "x", "three")))
          .isPresent();
    }
  }

  static Application app(String name, String config) {
    return Application.builder(name).namespace("x")
        .component(Component.builder("c", "k8s-objects").property("manifests",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + config + "}\n").build()).build();
  }

  @Test
  void aListenerThatThrowsAnErrorDoesNotStopTheWorker() throws Exception {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).workers(1).build()) {
      plane.addListener(e -> {
        if (e.application().equals("x.bad")) {
          throw new AssertionError("a listener's bug");
        }
      });
      plane.start();
      Application bad = app("bad", "b");
      Application good = app("good", "g");
      plane.submit(bad);
      plane.submit(good);
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(plane.status(bad).phase()).isEqualTo(Phase.READY);
      assertThat(plane.status(good).phase()).isEqualTo(Phase.READY);
    }
  }

  @Test
  void submitAfterCloseIsRefused() {
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).build();
    plane.close();
    assertThatThrownBy(() -> plane.submit(chain(1, false))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the plane is closed");
  }
}
