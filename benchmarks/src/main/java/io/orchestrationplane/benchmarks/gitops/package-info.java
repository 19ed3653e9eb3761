/** Benchmarks of the GitOps module: a poll of an unchanged repository. */
package io.orchestrationplane.benchmarks.gitops;
