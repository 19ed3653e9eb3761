/** The JUnit extension's implementation; may change without notice. */
package io.orchestrationplane.testkit.junit.internal;
