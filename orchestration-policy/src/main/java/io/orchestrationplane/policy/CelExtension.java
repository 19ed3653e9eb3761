package io.orchestrationplane.policy;

/**
 * CEL extension libraries that Kubernetes' API server does not enable but other engines do (Kyverno enables
 * {@link #BINDINGS}, {@link #ENCODERS} and {@link #MATH}). Off by default, so that a policy accepted by an engine is
 * accepted by the API server of its {@link KubernetesVersion}.
 */
public enum CelExtension {
  /** {@code cel.bind(name, value, expression)}. */
  BINDINGS,
  /** {@code base64.encode(bytes)}, {@code base64.decode(string)}. */
  ENCODERS,
  /** {@code math.greatest}, {@code math.least}, {@code math.ceil}, {@code math.abs}... */
  MATH
}
