package io.orchestrationplane.policy;

/** The CEL environment a policy's expressions compile in. */
public enum CelEnvironment {
  /** What the Kubernetes API server gives admission policies (the default). */
  KUBERNETES,
  /**
   * Kubernetes' environment plus Kyverno's CEL libraries for {@code policies.kyverno.io} policies: {@code resource}
   * lookups answered from the engine's (or request's) {@link io.orchestrationplane.policy.spi.ParamResolver},
   * {@code image()}/{@code isImage()} reference parsing, {@code json.unmarshal} and {@code yaml.parse}; the
   * network-bound {@code http.*}, {@code resource.Post} and {@code image.GetMetadata} fail with a clear
   * "not available offline" error.
   */
  KYVERNO
}
