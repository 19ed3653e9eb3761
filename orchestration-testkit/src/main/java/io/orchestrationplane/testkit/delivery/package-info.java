/**
 * Test support for delivery workflows: {@link io.orchestrationplane.testkit.delivery.DeliveryDriver}
 * moves a {@code Delivery} on a manual clock (to the next window, past a soak time), approves as
 * a subject, and asserts the active step with the release status in the failure message.
 *
 * <p>Thread-safety: a driver is meant for one test thread.
 */
@NullMarked
package io.orchestrationplane.testkit.delivery;

import org.jspecify.annotations.NullMarked;
