package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.health.HealthAssessor;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.render.TraitType;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.Phase;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Code users plug into the plane (component and trait types, health assessors) fails in every
 * way Java allows: it throws from {@code schema()} or {@code check()}, returns null, throws an
 * {@code AssertionError} or {@code NoClassDefFoundError}, or quotes a sensitive value in its
 * message. Each failure is a clear problem naming the component or trait, never a raw exception,
 * never the value, and never stops a worker.
 */
class UserCodeFailureTest {
  static final String SECRET = "s3cr3t-value-xyz";

  /** Fails in the way its name says. */
  static final class Broken implements ComponentType {
    private final String how;

    Broken(String how) {
      this.how = how;
    }

    @Override
    public String name() {
      return how;
    }

    @Override
    public PropertySchema schema() {
      if (how.equals("schema-throws")) {
        throw new IllegalStateException("no schema for " + SECRET);
      }
      if (how.equals("schema-null")) {
        return null;
      }
      return PropertySchema.builder()
          .add(new PropertySpec("password", PropertyType.STRING, false, null, "a password", null, true)).build();
    }

    @Override
    public List<String[]> check(Properties properties) {
      return switch (how) {
        case "check-throws" -> throw new IllegalStateException("cannot check " + properties.string("password"));
        case "check-quotes" -> List.<String[]>of(new String[] {"password", "too weak: " + properties.string("password")});
        case "check-null" -> null;
        case "check-asserts" -> throw new AssertionError("assertion on " + properties.string("password"));
        default -> List.of();
      };
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      return switch (how) {
        case "render-null" -> null;
        case "render-null-item" -> Arrays.asList(Resource.of("v1", "ConfigMap", context.namespace(), "a"), null);
        case "render-asserts" -> throw new AssertionError("assertion on " + properties.string("password"));
        case "render-class-missing" -> throw new NoClassDefFoundError("com/acme/Missing");
        default -> List.of(Resource.of("v1", "ConfigMap", context.namespace(), "fine"));
      };
    }
  }

  /** A trait that returns null instead of the component's resources. */
  static final class NullTrait implements TraitType {
    @Override
    public String name() {
      return "null-trait";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.EMPTY;
    }

    @Override
    public List<Resource> apply(RenderContext context, Properties properties, List<Resource> resources) {
      return null;
    }
  }

  static final List<String> HOW = List.of("schema-throws", "schema-null", "check-throws", "check-quotes", "check-null",
      "check-asserts", "render-null", "render-null-item", "render-asserts", "render-class-missing", "fine");

  static OrchestrationPlane plane(InMemoryCluster cluster) {
    OrchestrationPlane.Builder b = OrchestrationPlane.builder().cluster(cluster).traitType(new NullTrait());
    HOW.forEach(how -> b.componentType(new Broken(how)));
    return b.build();
  }

  static Application app(String name, String type) {
    return Application.builder(name).namespace("x")
        .component(Component.builder("c", type).property("password", SECRET).build()).build();
  }

  @Test
  void aTypeThatFailsToGiveItsSchemaOrCheckItsPropertiesIsAProblemNamingItNeverTheValue() {
    OrchestrationPlane plane = plane(InMemoryCluster.create("prod"));
    for (String how : List.of("schema-throws", "schema-null", "check-throws", "check-quotes", "check-null", "check-asserts")) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> plane.plan(app("a", how)));
      assertThat(e).as(how).isNotNull();
      assertThat(e.getMessage()).as(how).contains("spec.components[0]").doesNotContain(SECRET);
    }
    assertThat(catchThrowableOfType(ValidationException.class, () -> plane.validate(app("a", "schema-throws")))
        .problems().get(0).toString())
        .contains("spec.components[0].type")
        .contains("schema-throws failed to give its property schema: IllegalStateException: (message withheld");
    assertThat(catchThrowableOfType(ValidationException.class, () -> plane.validate(app("a", "check-throws")))
        .problems().get(0).toString())
        .contains("spec.components[0].properties")
        .contains("check-throws failed to check its properties: IllegalStateException: (message withheld");
    assertThat(catchThrowableOfType(ValidationException.class, () -> plane.validate(app("a", "check-quotes")))
        .problems().get(0).toString())
        .contains("spec.components[0].properties.password")
        .contains("(message withheld: it quotes the value of a sensitive property)");
    assertThat(catchThrowableOfType(ValidationException.class, () -> plane.validate(app("a", "check-null")))
        .getMessage()).contains("check-null failed to check its properties: it returned null");
    // the plane goes on: the same plane plans a sound application
    assertThat(plane.plan(app("b", "fine")).changes()).isNotEmpty();
  }

  @Test
  void aTypeThatReturnsNullOrFailsWithAnErrorIsAProblemNamingItNeverTheValue() {
    OrchestrationPlane plane = plane(InMemoryCluster.create("prod"));
    assertThatThrownBy(() -> plane.plan(app("a", "render-null"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.components[0].type")
        .hasMessageContaining("render-null failed to render: it returned null instead of a list of resources");
    assertThatThrownBy(() -> plane.plan(app("a", "render-null-item"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("render-null-item failed to render: it returned null as resource 1 of 2");
    assertThatThrownBy(() -> plane.plan(app("a", "render-asserts"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("render-asserts failed to render: AssertionError: (message withheld")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> plane.plan(app("a", "render-class-missing"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("render-class-missing failed to render: NoClassDefFoundError: com/acme/Missing");
    Application nullTrait = Application.builder("t").namespace("x")
        .component(Component.builder("c", "fine").trait(Trait.of("null-trait", java.util.Map.of())).build()).build();
    assertThatThrownBy(() -> plane.plan(nullTrait)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.components[0].traits[0].type")
        .hasMessageContaining("null-trait failed to apply: it returned null instead of a list of resources");
  }

  @Test
  void aHealthAssessorThatQuotesASecretsDataNeverPutsItInTheStatus() {
    for (boolean throwing : List.of(true, false)) {
      HealthAssessors health = HealthAssessors.builder().register(HealthAssessor.of(new GroupKind("", "Secret"), live -> {
        String quoted = "cannot judge " + live.at("/stringData/p").asString("") + live.at("/data/p").asString("");
        if (throwing) {
          throw new IllegalStateException(quoted);
        }
        return io.orchestrationplane.core.health.HealthStatus.degraded(quoted);
      })).build();
      OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).health(health).build();
      Application app = Application.builder("a").namespace("x").component(Component.builder("c", "k8s-objects")
          .property("manifests", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {p: " + SECRET + "}\n")
          .build()).build();
      plane.apply(app);
      assertThat(plane.status(app).toText()).as("throwing %s", throwing)
          .contains("Secret x/s: the health message is withheld: it quotes a secret value of the object")
          .doesNotContain(SECRET);
    }
  }

  /** Renders its sensitive {@code password} into a ConfigMap, as a DSN would carry it. */
  static final class IntoConfigMap implements ComponentType {
    @Override
    public String name() {
      return "dsn";
    }

    @Override
    public PropertySchema schema() {
      return PropertySchema.builder()
          .add(new PropertySpec("password", PropertyType.STRING, true, null, "a password", null, true)).build();
    }

    @Override
    public List<Resource> render(RenderContext context, Properties properties) {
      return List.of(Resource.of("v1", "ConfigMap", context.namespace(), "dsn").edit(t ->
          t.putObject("data").put("dsn", "db://u:" + properties.string("password") + "@db")));
    }
  }

  @Test
  void aHealthAssessorQuotingASensitivePropertyRenderedIntoAConfigMapNeverPutsItInTheStatus() {
    HealthAssessors health = HealthAssessors.builder().register(HealthAssessor.of(new GroupKind("", "ConfigMap"),
        live -> io.orchestrationplane.core.health.HealthStatus.degraded("cannot reach " + live.at("/data/dsn").asString("")))).build();
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).health(health)
        .componentType(new IntoConfigMap()).build();
    Application app = Application.builder("a").namespace("x")
        .component(Component.builder("c", "dsn").property("password", SECRET).build()).build();
    plane.apply(app);
    assertThat(plane.status(app).toText()).doesNotContain(SECRET);
  }

  @Test
  void aDriverThatThrowsAnErrorFailsThatWriteAndItsClusterOnlyAndTheInventoryIsKept() {
    InMemoryCluster broken = InMemoryCluster.create("broken");
    InMemoryCluster sound = InMemoryCluster.create("sound");
    AtomicBoolean buggy = new AtomicBoolean(true);
    io.orchestrationplane.core.FlakyDriver driver = new io.orchestrationplane.core.FlakyDriver(broken) {
      @Override
      public Resource create(Resource object) {
        if (buggy.get() && object.name().equals("second")) {
          throw new AssertionError("a driver's bug near " + SECRET);
        }
        return super.create(object);
      }
    };
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(driver).cluster(sound).build();
    Application app = Application.builder("a").namespace("x").component(Component.builder("c", "k8s-objects")
        .property("manifests", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\n"
            + "apiVersion: v1\nkind: Secret\nmetadata: {name: second}\nstringData: {p: " + SECRET + "}\n").build()).build();

    io.orchestrationplane.core.apply.ExecutionResult result = plane.apply(app);
    assertThat(result.toText()).contains("AssertionError").doesNotContain(SECRET);
    assertThat(result.succeeded()).isFalse();
    // the other cluster went on, and the broken one still records every kind it was to hold
    assertThat(sound.all()).extracting(Resource::name).contains("first", "second");
    Resource inventory = broken.get(io.orchestrationplane.core.resource.Inventory.parentKey("broken", app.id())).orElseThrow();
    assertThat(io.orchestrationplane.core.resource.Inventory.recordedKinds(inventory)).extracting(Object::toString)
        .contains("ConfigMap", "Secret");

    buggy.set(false);
    assertThat(plane.apply(app).succeeded()).isTrue();
    assertThat(broken.all()).extracting(Resource::name).contains("first", "second");
  }

  @Test
  void aTypeOrHealthAssessorThatThrowsAnErrorInAReconcileFailsOnlyItsApplication() throws Exception {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    AtomicBoolean classGone = new AtomicBoolean();
    ComponentType flaky = new ComponentType() {
      @Override
      public String name() {
        return "flaky";
      }

      @Override
      public PropertySchema schema() {
        return PropertySchema.EMPTY;
      }

      @Override
      public List<Resource> render(RenderContext context, Properties properties) {
        if (classGone.get()) {
          throw new NoClassDefFoundError("com/acme/Missing");
        }
        return List.of(Resource.of("v1", "ConfigMap", context.namespace(), "flaky"));
      }
    };
    HealthAssessors health = HealthAssessors.builder().register(HealthAssessor.of(new GroupKind("", "Secret"), live -> {
      throw new AssertionError("an assessor's bug");
    })).build();
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).workers(1).health(health)
        .componentType(flaky).build()) {
      plane.start();
      Application assessed = Application.builder("a").namespace("x").component(Component.builder("c", "k8s-objects")
          .property("manifests", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {p: " + SECRET + "}\n")
          .build()).build();
      Application typed = Application.builder("b").namespace("x").component(Component.builder("c", "flaky").build()).build();
      plane.submit(assessed);
      plane.submit(typed);
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(plane.status(typed).phase()).isEqualTo(Phase.READY);

      classGone.set(true);
      // a changed desired state is rendered again at submit: the type's error is a problem naming it
      Application changed = typed.toBuilder().labels(java.util.Map.of("v", "2")).build();
      assertThatThrownBy(() -> plane.submit(changed)).isInstanceOf(ValidationException.class)
          .hasMessageContaining("spec.components[0].type").hasMessageContaining("flaky failed to render: NoClassDefFoundError");
      plane.requeue(List.of(assessed.id(), typed.id()));
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();
      // the assessor's error is the object's unknown health, not a crash of the status call or the reconcile
      assertThat(plane.status(assessed).toText()).contains("health assessment failed").contains("AssertionError")
          .doesNotContain(SECRET);
      assertThat(plane.status(typed).phase()).isEqualTo(Phase.READY);

      Application fine = Application.builder("c").namespace("x").component(Component.builder("c", "k8s-objects")
          .property("manifests", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: three}\n").build()).build();
      plane.submit(fine);
      assertThat(plane.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(plane.status(fine).phase()).isEqualTo(Phase.READY);
      assertThat(cluster.get(ResourceKey.of("prod", "", "ConfigMap", "x", "three"))).isPresent();
    }
  }
}
