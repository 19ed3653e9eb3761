package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.spi.Authorizer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The CEL values of Kubernetes' authorizer library: the {@code authorizer} variable and its checks. */
public final class AuthorizerValues {
  private AuthorizerValues() {}

  /** The {@code authorizer} variable: asks {@code authorizer} on behalf of {@code user}. */
  public record Value(Authorizer authorizer, String user, List<String> groups) {
    Decision check(Authorizer.Check check) {
      try {
        Authorizer.Decision d = authorizer.authorize(user, groups, check);
        return new Decision(d.allowed(), d.reason() == null ? "" : d.reason(), d.error());
      } catch (RuntimeException e) {
        return new Decision(false, "", "authorizer failed: " + e.getMessage());
      }
    }

    Value serviceAccount(String namespace, String name) {
      return new Value(authorizer, "system:serviceaccount:" + namespace + ":" + name,
          List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"));
    }
  }

  public record PathCheck(Value authz, String path) {}

  public record GroupCheck(Value authz, String group) {}

  public record ResourceCheck(Value authz, String group, String resource, String subresource, String namespace,
      String name) {
    ResourceCheck withSubresource(String s) { return new ResourceCheck(authz, group, resource, s, namespace, name); }
    ResourceCheck withNamespace(String n) { return new ResourceCheck(authz, group, resource, subresource, n, name); }
    ResourceCheck withName(String n) { return new ResourceCheck(authz, group, resource, subresource, namespace, n); }
  }

  public record Decision(boolean allowed, String reason, @Nullable String error) {}
}
