/**
 * Rendering: component and trait types (the {@link io.orchestrationplane.core.render.ComponentType}
 * and {@link io.orchestrationplane.core.render.TraitType} SPIs, which declare the kinds they
 * render), their registry and property schemas, and the {@link io.orchestrationplane.core.render.Renderer}
 * that turns an application into Kubernetes objects per environment. Thread-safe; types must be
 * stateless.
 */
@NullMarked
package io.orchestrationplane.core.render;

import org.jspecify.annotations.NullMarked;
