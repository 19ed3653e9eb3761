/** Benchmarks of the audit log: appends to the JSON Lines file (synced per batch) and verification. */
package io.orchestrationplane.benchmarks.audit;
