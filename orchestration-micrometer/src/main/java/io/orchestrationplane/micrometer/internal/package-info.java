/** The metrics module's machinery: a counting cluster driver. Not API. Thread-safe. Null-marked. */
@NullMarked
package io.orchestrationplane.micrometer.internal;

import org.jspecify.annotations.NullMarked;
