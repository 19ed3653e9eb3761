/** Drives real Kubernetes clusters through fabric8 kubernetes-client. */
package io.orchestrationplane.k8s;
