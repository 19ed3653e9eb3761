package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.policy.AdmissionRequest;
import io.orchestrationplane.policy.Decision;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import io.orchestrationplane.policy.UserInfo;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The shipped admission policy that keeps the requested-by annotation honest. */
class RequestedByPolicyTest {
  private final PolicyEngine engine = PolicyEngine.builder()
      .policies(PolicyLoader.load(ApplicationOperator.requestedByPolicyYaml())).build();

  static JsonNode app(@Nullable String requestedBy, String mode, String... finalizers) {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>(Map.of("name", "shop", "namespace", "team-a"));
    if (requestedBy != null) {
      metadata.put("annotations", Map.of(ApplicationOperator.REQUESTED_BY_ANNOTATION, requestedBy));
    }
    if (finalizers.length > 0) {
      metadata.put("finalizers", List.of(finalizers));
    }
    return Json.JSON.valueToTree(Map.of("apiVersion", ApplicationCrd.API_VERSION, "kind", ApplicationCrd.KIND,
        "metadata", metadata, "spec", Map.of("components", List.of(Map.of("name", "config", "type", "k8s-objects",
            "properties", Map.of("mode", mode))))));
  }

  private Decision admit(String user, Operation op, JsonNode object, @Nullable JsonNode old) {
    return engine.admit(AdmissionRequest.builder(op).object(object).oldObject(old)
        .userInfo(new UserInfo(user, "", List.of("system:authenticated"), Map.of()))
        .namespace("team-a").resource("applications").build()).decision();
  }

  @Test
  void aUserMayNameOnlyHerselfAndNobodyMayEditTheSpecUnderAnothersName() {
    assertThat(admit("alice", Operation.CREATE, app("alice", "fast"), null).allowed()).isTrue();
    assertThat(admit("alice", Operation.CREATE, app(null, "fast"), null).allowed()).as("acts as the project").isTrue();
    Decision forged = admit("mallory", Operation.CREATE, app("admin", "fast"), null);
    assertThat(forged.allowed()).isFalse();
    assertThat(forged.denials().get(0).message()).isEqualTo("the annotation orchestrationplane.io/requested-by "
        + "may only name the user making the request (mallory), not admin");
    assertThat(admit("mallory", Operation.UPDATE, app("alice", "evil"), app("alice", "fast")).allowed())
        .as("a spec edit under alice's name by someone else").isFalse();
    assertThat(admit("mallory", Operation.UPDATE, app("mallory", "evil"), app("alice", "fast")).allowed()).isTrue();
    assertThat(admit("system:serviceaccount:ops:operator", Operation.UPDATE,
        app("alice", "fast", ApplicationOperator.FINALIZER), app("alice", "fast")).allowed())
        .as("the operator's finalizer keeps the annotation").isTrue();
  }
}
