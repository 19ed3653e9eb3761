/**
 * Golden files for rendered resources and plans, with an update switch
 * ({@code -Dorchestration.updateGoldens=true}) and unified diffs on failure. {@code Goldens} is
 * immutable once created; tests running in parallel must not compare against (or update) the
 * same file. Null-marked: parameters and return values are non-null unless annotated
 * {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.testkit.golden;

import org.jspecify.annotations.NullMarked;
