package io.orchestrationplane.policy;

/**
 * Which library set a policy's expressions compile in. Either is built for the engine's
 * {@link KubernetesVersion} ({@link PolicyEngine.Builder#kubernetesVersion(KubernetesVersion)}): the functions and language features
 * of that version's API server, no more.
 */
public enum CelEnvironment {
  /** What the Kubernetes API server gives admission policies (the default). */
  KUBERNETES,
  /**
   * Kubernetes' environment plus what Kyverno enables for {@code policies.kyverno.io} policies: the
   * {@link CelExtension#BINDINGS}, {@link CelExtension#ENCODERS} and {@link CelExtension#MATH} extensions, and
   * Kyverno's CEL libraries: {@code resource}
   * lookups answered from the engine's (or request's) {@link io.orchestrationplane.policy.spi.ParamResolver},
   * {@code image()}/{@code isImage()} reference parsing, {@code json.unmarshal} and {@code yaml.parse}; the
   * network-bound {@code http.*}, {@code resource.Post} and {@code image.GetMetadata} fail with a clear
   * "not available offline" error.
   */
  KYVERNO
}
