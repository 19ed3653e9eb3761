package io.orchestrationplane.core.render;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Set;

/**
 * An operational behaviour that changes a component's rendered resources or adds new ones
 * (replicas, ingress, autoscaling, storage...). Traits run in the order they are listed on the
 * component, each seeing the previous one's output.
 */
public interface TraitType {
  /** The name traits use in {@code type}. */
  String name();

  /** The properties this trait accepts, for validation and docs. */
  PropertySchema schema();

  /** Whether a component may carry this trait more than once (e.g. several volumes). */
  default boolean allowsMultiple() {
    return false;
  }

  /** Checks beyond the schema, as {@code [property, message]} pairs; the default finds none. */
  default List<String[]> check(Properties properties) {
    return List.of();
  }

  /**
   * The kinds this type renders (a trait: adds), which the plane watches and searches for
   * leftovers on every cluster. The default declares none: objects of a kind no type declares
   * are still found through what the application rendered and its inventory on each cluster,
   * but are not watched until an application renders one.
   */
  default Set<GroupKind> kinds() {
    return Set.of();
  }

  /**
   * The component's resources after this trait: {@code resources} changed or extended. Throw
   * {@link IllegalArgumentException} with a message when the trait cannot apply (for example an
   * ingress on a component without a Service); the renderer reports it with the trait's path.
   */
  List<Resource> apply(RenderContext context, Properties properties, List<Resource> resources);
}
