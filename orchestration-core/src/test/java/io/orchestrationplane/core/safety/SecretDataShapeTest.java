package io.orchestrationplane.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * A Secret or ConfigMap whose data the API server would refuse is a validation problem naming the
 * object and the key, before anything is written, and never quotes the value: a value that is not
 * text was stored as something else (the in-memory cluster read it as empty) and the structure of
 * an object given as a Secret's value was shown in plans through the applied-fields record.
 */
class SecretDataShapeTest {
  static Application objects(String manifests) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("objects", "k8s-objects").property("manifests", manifests).build()).build();
  }

  static final String SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\n";

  @Test
  void secretDataThatIsNotBase64TextIsRefusedNamingTheKeyNeverTheValue() {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(cluster).build();
    String[][] cases = {
        {"data: {password: 'HUNTER2-is-not-base64!'}", "data.password is not base64"},
        {"data: {password: [HUNTER2-in-a-list]}", "data.password must be base64 text, got a list"},
        {"stringData: {password: {HUNTER2-as-a-key: x}}", "stringData.password must be text, got an object"},
        {"stringData: {password: 12345678}", "stringData.password must be text, got a number"},
        {"data: {password: SFVOVEVSMg}", "data.password is not base64"}, // unpadded: Go refuses it
        {"stringData: {'HUNTER2 key': x}", "stringData: key 'HUNTER2 key' may hold only letters"},
        {"data: [HUNTER2]", "data must be a map of keys to base64 text, got a list"},
    };
    for (String[] c : cases) {
      Application app = objects(SECRET + c[0] + "\n");
      assertThatThrownBy(() -> plane.plan(app)).as(c[0]).isInstanceOf(ValidationException.class)
          .hasMessageContaining("spec.components[0]").hasMessageContaining("Secret shop/creds")
          .hasMessageContaining(c[1])
          .satisfies(e -> assertThat(e.getMessage().replace("'HUNTER2 key'", "")).doesNotContain("HUNTER2")
              .doesNotContain("SFVOVEVSMg"));
      assertThatThrownBy(() -> plane.apply(app)).isInstanceOf(ValidationException.class);
    }
    assertThat(cluster.all()).isEmpty();
  }

  @Test
  void configMapValuesMustBeTextAndBinaryDataBase64() {
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).build();
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n";
    assertThatThrownBy(() -> plane.plan(objects(cm + "data: {replicas: 3}\n"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("ConfigMap shop/settings").hasMessageContaining("data.replicas must be text, got a number");
    assertThatThrownBy(() -> plane.plan(objects(cm + "binaryData: {blob: 'not base64'}\n")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("binaryData.blob is not base64");
    assertThatThrownBy(() -> plane.plan(objects(cm + "data: {'..hidden': x}\n")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("must not be '.' or start with '..'");
  }

  @Test
  void validDataIsPlannedAsBefore() {
    OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("prod")).build();
    assertThat(plane.plan(objects(SECRET + "data: {password: \"SFVO\\nVEVSMg==\", empty: ''}\n"
        + "stringData: {user.name: dana, token_1: x}\n"
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a.b-c_d: '3', e: null}\n"
        + "binaryData: {blob: AAEC}\n")).problems()).isEmpty();
  }
}
