package io.orchestrationplane.samples.testing;

import io.orchestrationplane.policy.PolicyEngine;
import io.orchestrationplane.policy.PolicyLoader;
import io.orchestrationplane.policy.PolicySet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The platform team's guardrail policies ({@code policies/guardrails.yaml} on the class path):
 * resource limits and pinned images are required (Deny), a team label is recommended (Warn).
 *
 * <pre>{@code
 * OrchestrationPlane plane = OrchestrationPlane.builder().policies(Guardrails.engine())...build();
 * }</pre>
 */
public final class Guardrails {
  /** The class-path location of the policy file. */
  public static final String RESOURCE = "/policies/guardrails.yaml";

  private Guardrails() {}

  /** The policy file's text. */
  public static String yaml() {
    try (InputStream in = Guardrails.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("guardrail policies not found on the class path at " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The policies and bindings of the file. */
  public static PolicySet policies() {
    return PolicyLoader.load(yaml());
  }

  /** An engine evaluating the guardrails. */
  public static PolicyEngine engine() {
    return PolicyEngine.builder().policies(policies()).build();
  }
}
