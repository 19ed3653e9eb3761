/** Implementation of the Kubernetes driver; may change without notice. */
package io.orchestrationplane.k8s.internal;
