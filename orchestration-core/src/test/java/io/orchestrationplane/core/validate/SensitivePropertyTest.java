package io.orchestrationplane.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertySpec;
import io.orchestrationplane.core.render.PropertyType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SensitivePropertyTest {

  @Test
  void validationMessagesNeverShowASensitiveValue() {
    PropertySchema schema = PropertySchema.builder()
        .add(new PropertySpec("token", PropertyType.INTEGER, false, null, "API token", null, true))
        .add(new PropertySpec("pin", PropertyType.INTEGER, false, null, "PIN", 1000L, true))
        .add(new PropertySpec("port", PropertyType.INTEGER, false, null, "Port", null, false))
        .build();
    var problems = schema.check(Map.of("token", "s3cr3t-value", "pin", 7L, "port", "eighty"));
    assertThat(problems).extracting(p -> p[0] + ": " + p[1]).containsExactlyInAnyOrder(
        "token: must be an integer, got a string (value hidden: sensitive)",
        "pin: must be at least 1000 (value hidden: sensitive)",
        "port: must be an integer, got \"eighty\"");
  }
}
