/**
 * Helpers of the assertions (field paths into JSON trees, kind names); may change without notice.
 * Stateless functions, safe from any thread. Null-marked.
 */
@NullMarked
package io.orchestrationplane.testkit.assertions.internal;

import org.jspecify.annotations.NullMarked;
