package io.orchestrationplane.testkit.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.Delivery;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.StepContext;
import io.orchestrationplane.delivery.StepResult;
import io.orchestrationplane.delivery.StepType;
import io.orchestrationplane.delivery.Workflow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Java step of the user's that fails as badly as Java allows (an {@code AssertionError}, a class
 * missing at run time, a stack overflow, a null result) fails its own attempt; it never makes
 * {@code runPending} throw, which would stop every other application's workflow. A step type whose
 * {@code validate} fails is a problem naming the step.
 */
class StepTypeFailureTest {
  static StepType type(String name, String how) {
    return new StepType() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> validate(Map<String, Object> properties) {
        if (how.equals("validate-throws")) {
          throw new IllegalStateException("a validation bug");
        }
        return how.equals("validate-null") ? null : List.of();
      }

      @Override
      public StepResult run(StepContext context) {
        return switch (how) {
          case "asserts" -> throw new AssertionError("a step's assertion");
          case "class-missing" -> throw new NoClassDefFoundError("com/acme/Smoke");
          case "overflows" -> run(context);
          case "null" -> null;
          default -> StepResult.succeeded("fine");
        };
      }
    };
  }

  static Application app(String name) {
    return Application.builder(name).namespace("x").component(Component.builder("c", "k8s-objects")
        .property("manifests", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n").build()).build();
  }

  @Test
  void aStepThatFailsWithAnErrorOrReturnsNothingFailsItsAttemptAndTheOtherWorkflowsGoOn() throws Exception {
    for (String how : List.of("asserts", "class-missing", "overflows", "null")) {
      ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T17:00:00Z"));
      try (StateStore store = StateStore.inMemory();
          OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).logging(false)
              .cluster(InMemoryCluster.builder("dev").clock(clock).build()).stateStore(store).build()) {
        Delivery delivery = Delivery.builder().plane(plane).store(store)
            .stepType(type("bad", how)).stepType(type("good", "fine")).build();
        delivery.start(app("a"), Workflow.builder("w").step(Step.of("s", "bad", Map.of())).build(),
            Subject.of("dana"), Origin.code());
        delivery.start(app("b"), Workflow.builder("w").step(Step.of("s", "good", Map.of())).build(),
            Subject.of("dana"), Origin.code());

        delivery.runPending();

        String failed = delivery.status("x.a").toText();
        assertThat(failed).as(how).contains("FAILED")
            .contains(switch (how) {
              case "asserts" -> "AssertionError: a step's assertion";
              case "class-missing" -> "NoClassDefFoundError: com/acme/Smoke";
              case "overflows" -> "StackOverflowError";
              default -> "step type 'bad' returned no result";
            });
        assertThat(delivery.status("x.b").toText()).as(how).contains("SUCCEEDED: release 1 delivered");
      }
    }
  }

  @Test
  void aStepTypeWhoseValidationFailsIsAProblemNamingTheStep() throws Exception {
    for (String how : List.of("validate-throws", "validate-null")) {
      try (StateStore store = StateStore.inMemory();
          OrchestrationPlane plane = OrchestrationPlane.builder().logging(false)
              .cluster(InMemoryCluster.create("dev")).stateStore(store).build()) {
        Delivery delivery = Delivery.builder().plane(plane).store(store).stepType(type("bad", how)).build();
        assertThatThrownBy(() -> delivery.start(app("a"), Workflow.builder("w").step(Step.of("s", "bad", Map.of())).build(),
            Subject.of("dana"), Origin.code()))
            .as(how).isInstanceOf(ValidationException.class)
            .hasMessageContaining(".properties")
            .hasMessageContaining("step type 'bad' failed to validate: "
                + (how.equals("validate-throws") ? "IllegalStateException: a validation bug" : "it returned null"));
      }
    }
  }
}
