package io.orchestrationplane.policy.internal;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The variables of one policy evaluation, resolved by name without building a map. */
final class Activation implements CelVariableResolver {
  Object object = NullValue.NULL_VALUE;
  Object oldObject = NullValue.NULL_VALUE;
  Object request = NullValue.NULL_VALUE;
  @Nullable Object params = NullValue.NULL_VALUE;
  Object namespaceObject = NullValue.NULL_VALUE;
  Object authorizer = NullValue.NULL_VALUE;
  Object requestResource = NullValue.NULL_VALUE;
  Object variables = NullValue.NULL_VALUE;
  /** Kyverno's {@code resource} (only declared in the Kyverno environment). */
  Object kyvernoResources = NullValue.NULL_VALUE;

  Activation copy() {
    Activation a = new Activation();
    a.object = object;
    a.oldObject = oldObject;
    a.request = request;
    a.params = params;
    a.namespaceObject = namespaceObject;
    a.authorizer = authorizer;
    a.requestResource = requestResource;
    a.kyvernoResources = kyvernoResources;
    return a;
  }

  @Override public Optional<Object> find(String name) {
    return Optional.ofNullable(switch (name) {
      case "object" -> object;
      case "oldObject" -> oldObject;
      case "request" -> request;
      case "params" -> params;
      case "namespaceObject" -> namespaceObject;
      case "variables" -> variables;
      case "authorizer" -> authorizer;
      case "authorizer.requestResource" -> requestResource;
      case "resource" -> kyvernoResources;
      case "http" -> KyvernoLibrary.Marker.HTTP;
      case "image" -> KyvernoLibrary.Marker.IMAGE_DATA;
      case "json" -> KyvernoLibrary.Marker.JSON;
      case "yaml" -> KyvernoLibrary.Marker.YAML;
      default -> KubeLibrary.TYPE_IDENTIFIERS.get(name);
    });
  }
}
