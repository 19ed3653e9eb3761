package io.orchestrationplane.core.render;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a component or trait type sees while rendering: the application, the target
 * environment, the component (with the environment's overrides already merged) and the
 * namespace its resources go to.
 */
public record RenderContext(Application application, Environment environment, Component component,
    String namespace) {

  /** Label key naming the component in selectors. */
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  /** Label key naming the application in selectors. */
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  /**
   * The labels that select this component's pods: stable for the component's lifetime, since
   * Kubernetes forbids changing a Deployment's selector.
   */
  public Map<String, String> selectorLabels() {
    return selectorLabels(component.name());
  }

  /** The selector labels of another component of the same application. */
  public Map<String, String> selectorLabels(String componentName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME_LABEL, componentName);
    labels.put(INSTANCE_LABEL, application.name());
    return labels;
  }

  /** Components of this application that declare a dependency on this component. */
  public List<Component> dependents() {
    return application.components().stream()
        .filter(c -> c.dependsOn().contains(component.name()))
        .toList();
  }
}
