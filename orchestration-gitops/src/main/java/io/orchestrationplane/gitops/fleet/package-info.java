/**
 * Fleet generators (Argo CD ApplicationSet's): one application per item of a list, per
 * registered cluster matching a label selector, or per directory of a Git repository, rendered
 * from an {@link io.orchestrationplane.gitops.fleet.ApplicationTemplate} and kept on the plane by
 * a {@link io.orchestrationplane.gitops.fleet.Fleet}; items that disappear are removed only
 * through the prune guard, and a generator that fails removes nothing.
 *
 * <p>Generators and templates are immutable and thread-safe; a {@code Fleet} serializes its refreshes.
 */
@NullMarked
package io.orchestrationplane.gitops.fleet;

import org.jspecify.annotations.NullMarked;
