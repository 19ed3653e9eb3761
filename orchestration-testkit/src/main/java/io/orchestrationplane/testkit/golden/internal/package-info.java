/**
 * Golden-file implementation (the unified diff); may change without notice. Stateless, safe from
 * any thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.testkit.golden.internal;

import org.jspecify.annotations.NullMarked;
