/**
 * Golden files for rendered resources and plans, with an update switch
 * ({@code -Dorchestration.updateGoldens=true}) and unified diffs on failure.
 *
 * <p>Parameters and return values are non-null unless documented otherwise.
 */
package io.orchestrationplane.testkit.golden;
