/**
 * The JUnit extensions' implementation: parameter resolution shared by both extensions, the mock
 * API servers of a test class, the simulators' pumps on the real clock and the driver decorator
 * that tracks watch activity. May change without notice. The extensions hold no state (environments
 * live in JUnit's stores); the other parts are thread-safe. Null-marked.
 */
@NullMarked
package io.orchestrationplane.testkit.junit.internal;

import org.jspecify.annotations.NullMarked;
