package io.orchestrationplane.core.render;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;
import java.util.Set;

/**
 * How a component of one type becomes cluster resources. Register implementations with
 * {@code TypeRegistry.builder().component(...)}; the built-ins are {@code webservice},
 * {@code worker}, {@code job}, {@code cronjob} and {@code k8s-objects}.
 *
 * <p>Implementations are stateless and thread-safe. They return resources without ownership
 * labels or namespaces for namespaced kinds when they want the environment's namespace: the
 * renderer adds both.
 *
 * <pre>{@code
 * final class RedisType implements ComponentType {
 *   public String name() { return "redis"; }
 *   public PropertySchema schema() {
 *     return PropertySchema.builder().optional("version", PropertyType.STRING, "7", "Redis version").build();
 *   }
 *   public List<Resource> render(RenderContext ctx, Properties p) { ... }
 * }
 * }</pre>
 */
public interface ComponentType {
  /** The name components use in {@code type}. */
  String name();

  /** The properties this type accepts, for validation and docs. */
  PropertySchema schema();

  /**
   * Checks that need more than the schema (relations between properties, parsing); returns
   * problems as {@code [property, message]} pairs. The default finds none.
   */
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

  /** The resources for one component in one environment; properties are validated and defaulted. */
  List<Resource> render(RenderContext context, Properties properties);
}
