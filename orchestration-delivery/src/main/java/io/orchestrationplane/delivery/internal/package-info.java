/**
 * The delivery engine behind {@link io.orchestrationplane.delivery.Delivery}: the stored form of
 * releases and workflow runs, the transition function, the cron matcher and the YAML reader. May
 * change without notice.
 *
 * <p>Thread-safety: {@code Engine} is thread-safe through the store's compare-and-set; the codecs
 * are stateless.
 */
@NullMarked
package io.orchestrationplane.delivery.internal;

import org.jspecify.annotations.NullMarked;
