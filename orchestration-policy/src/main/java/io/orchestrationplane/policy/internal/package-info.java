/**
 * The engine's implementation: the Kubernetes CEL environment and libraries, value conversion, matching and
 * evaluation. Not API: may change without notice.
 */
package io.orchestrationplane.policy.internal;
