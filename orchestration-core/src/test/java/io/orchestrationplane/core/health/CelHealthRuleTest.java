package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import org.junit.jupiter.api.Test;

class CelHealthRuleTest {
  private static final GroupKind CERTIFICATE = new GroupKind("cert-manager.io", "Certificate");

  private static final CelHealthRule RULES = CelHealthRule.builder(CERTIFICATE)
      .degraded("has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'False' && c.reason == 'Failed')",
          "'issuing failed: ' + object.status.conditions.filter(c, c.type == 'Ready')[0].message")
      .suspended("has(object.spec.suspend) && object.spec.suspend")
      .healthy("has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
          "'valid until ' + object.status.notAfter")
      .build();

  private static Resource certificate(String statusYaml) {
    return Resource.fromYaml("""
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: shop-tls, namespace: shop}
        spec: {secretName: shop-tls}
        """ + statusYaml);
  }

  @Test
  void theFirstMatchingRuleDecidesWithItsMessage() {
    HealthStatus ready = RULES.assess(certificate("""
        status:
          notAfter: "2027-01-01T00:00:00Z"
          conditions: [{type: Ready, status: "True"}]
        """));
    assertThat(ready).isEqualTo(HealthStatus.healthy("Certificate shop/shop-tls: valid until 2027-01-01T00:00:00Z"));

    HealthStatus failed = RULES.assess(certificate("""
        status:
          conditions: [{type: Ready, status: "False", reason: Failed, message: "ACME order rejected"}]
        """));
    assertThat(failed).isEqualTo(HealthStatus.degraded("Certificate shop/shop-tls: issuing failed: ACME order rejected"));
  }

  @Test
  void noMatchingRuleIsProgressingWhenHealthyRulesExist() {
    assertThat(RULES.assess(certificate("")).health()).isEqualTo(Health.PROGRESSING);
    CelHealthRule onlyDegraded = CelHealthRule.builder(CERTIFICATE).degraded("false").build();
    assertThat(onlyDegraded.assess(certificate("")).health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void aRuleThatErrorsAtEvaluationGivesUnknownWithTheError() {
    CelHealthRule careless = CelHealthRule.builder(CERTIFICATE)
        .healthy("object.status.conditions.exists(c, c.type == 'Ready')") // no has(): status may be absent
        .build();
    HealthStatus result = careless.assess(certificate(""));
    assertThat(result.health()).isEqualTo(Health.UNKNOWN);
    assertThat(result.message()).startsWith("Certificate shop/shop-tls: health rule healthy[0] failed at line 1, column")
        .contains("status");
  }

  @Test
  void aRuleThatDoesNotCompileIsRejectedWhenRegisteredNamingRuleAndColumn() {
    assertThatThrownBy(() -> CelHealthRule.builder(CERTIFICATE)
        .healthy("object.status.ready ==")
        .degraded("object.status.phase == 'Failed'", "'failed: ' + ")
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("health rules for Certificate.cert-manager.io do not compile")
        .hasMessageContaining("healthy[0]: line 1, column")
        .hasMessageContaining("degraded[0].message: line 1, column");
  }

  @Test
  void rulesPlugIntoTheAssessorRegistryForTheirKind() {
    HealthAssessors health = HealthAssessors.builder().register(RULES).build();
    assertThat(health.assess(certificate("""
        status:
          conditions: [{type: Ready, status: "True"}]
          notAfter: x
        """)).health()).isEqualTo(Health.HEALTHY);
    assertThat(health.assessorFor(CERTIFICATE)).containsSame(RULES);
  }
}
