/**
 * What a platform team writes and the testing sample tests with the testkit: a {@code postgres}
 * component type ({@code PostgresType}), a controller turning its backup schedule into CronJobs
 * ({@code BackupScheduleReconciler}) and guardrail policies ({@code Guardrails}). The component
 * type and the reconciler keep no mutable state of their own and are called from the plane's and
 * the controller's threads. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.testing;

import org.jspecify.annotations.NullMarked;
