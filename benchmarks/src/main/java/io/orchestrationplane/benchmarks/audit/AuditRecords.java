package io.orchestrationplane.benchmarks.audit;

import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.resource.ResourceKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/** A typical audit decision (a denial naming two policies), about 600 bytes as a JSON line. */
final class AuditRecords {
  private AuditRecords() {}

  static PlaneRecord decision(int i) {
    ResourceKey api = ResourceKey.of("prod", "apps", "Deployment", "shop", "api-" + (i % 100));
    return new PlaneRecord.Denied(Instant.ofEpochSecond(1_800_000_000L + i), Subject.of("alice@example.com", "platform"),
        "shop.shop-" + (i % 100),
        List.of("Deployment shop/api (cluster prod): no-latest: image tag latest is not allowed",
            "Deployment shop/api (cluster prod): resources-set: every container sets CPU and memory limits"),
        List.of(new PolicyNotice(api, "no-latest", "Deny", "image tag latest is not allowed"),
            new PolicyNotice(api, "resources-set", "Deny", "every container sets CPU and memory limits")));
  }

  static KeyPair key() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
