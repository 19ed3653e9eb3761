package io.orchestrationplane.k8s;

/**
 * How {@link KubernetesCluster#apply} writes objects.
 *
 * <ul>
 *   <li>{@link #AUTO}: server-side apply while the server supports it; on the first HTTP 415 (or a
 *       404 to an apply of an object that a plain create then makes, as kubernetes-mock-server
 *       answers) it switches to {@link #CLIENT_SIDE} for good and logs it once.
 *   <li>{@link #SERVER_SIDE}: always server-side apply with field manager
 *       {@value KubernetesCluster#FIELD_MANAGER}.
 *   <li>{@link #CLIENT_SIDE}: create, or read-merge-update with optimistic concurrency on
 *       resourceVersion, re-reading and retrying on conflict.
 * </ul>
 */
public enum ApplyMode { AUTO, SERVER_SIDE, CLIENT_SIDE }
