/**
 * The implementation behind the GitOps API: JGit fetches and tree reads, OpenPGP commit
 * verification with BouncyCastle, reading a directory into applications, the sync of a desired
 * set of applications with its prune guard, and scrubbing of credentials from messages. Not API.
 *
 * <p>Thread-safety as documented per class; the public types serialize access.
 */
@NullMarked
package io.orchestrationplane.gitops.internal;

import org.jspecify.annotations.NullMarked;
