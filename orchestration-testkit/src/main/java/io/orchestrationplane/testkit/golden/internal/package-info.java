/** Golden-file implementation; may change without notice. */
package io.orchestrationplane.testkit.golden.internal;
