/**
 * The governance demo: {@code Governance} runs one plane with an Argo CD RBAC policy, a project
 * fence and a signed audit log, shows a change refused by each, a release that goes to prod after
 * a second person's approval, and verification naming a record edited in the audit file. A
 * program run from {@code main} on one thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.samples.governance;

import org.jspecify.annotations.NullMarked;
