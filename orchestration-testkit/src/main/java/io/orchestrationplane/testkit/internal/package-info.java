/** Implementation of the test fixture; may change without notice. */
package io.orchestrationplane.testkit.internal;
