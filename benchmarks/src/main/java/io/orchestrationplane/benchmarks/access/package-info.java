/**
 * JMH benchmarks of governance: the cost of one access decision of the RBAC policy, and what
 * access control and a project's fence add to a plan through the facade. Results and commands
 * are in docs/benchmarks.md. JMH creates and drives these classes and fills their state in setup
 * methods, so the package is not null-marked.
 */
package io.orchestrationplane.benchmarks.access;
