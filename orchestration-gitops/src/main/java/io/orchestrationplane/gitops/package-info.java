/**
 * GitOps: follow a Git repository at a branch, tag or commit and keep the plane's applications
 * equal to a directory of it ({@link io.orchestrationplane.gitops.GitSource}), optionally only
 * for commits signed by trusted OpenPGP keys; a {@link io.orchestrationplane.gitops.PruneGuard}
 * keeps a source that suddenly yields nothing (or far less) from pruning everything.
 *
 * <p>Value types are immutable and thread-safe; {@code GitRepository} and {@code GitSource}
 * are thread-safe (one fetch or sync at a time per instance).
 */
@NullMarked
package io.orchestrationplane.gitops;

import org.jspecify.annotations.NullMarked;
