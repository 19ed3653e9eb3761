/**
 * Admission: every planned write is evaluated by the plane's policies (Kubernetes
 * ValidatingAdmissionPolicy and MutatingAdmissionPolicy semantics, through orchestration-policy's
 * public API) before anything is written; a Deny stops the plan. Immutable and thread-safe.
 */
@NullMarked
package io.orchestrationplane.core.admit;

import org.jspecify.annotations.NullMarked;
