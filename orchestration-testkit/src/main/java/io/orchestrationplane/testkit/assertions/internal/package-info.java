/** Helpers of the assertions; may change without notice. */
package io.orchestrationplane.testkit.assertions.internal;
