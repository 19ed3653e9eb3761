/**
 * A Kubernetes ValidatingAdmissionPolicy-compatible CEL policy engine for the JVM. Knows nothing
 * of applications or clusters, so it is usable on its own.
 */
package io.orchestrationplane.policy;
