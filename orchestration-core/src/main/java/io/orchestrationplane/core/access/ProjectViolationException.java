package io.orchestrationplane.core.access;

import java.util.List;

/**
 * An application reaches outside its {@link Project}: nothing was planned or written. Lists every
 * violation, each naming the object (kind, namespace, name, cluster, the component that rendered
 * it) and the rule it breaks, e.g. {@code ClusterRoleBinding /tenant-admin (cluster prod),
 * component api: cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not allowed
 * in project shop (allowed cluster-scoped kinds: none)}.
 */
public class ProjectViolationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String application;
  private final String project;
  private final transient List<String> violations;

  public ProjectViolationException(String application, String project, List<String> violations) {
    super((project.isEmpty() ? "application " + application + " belongs to no project"
        : "application " + application + " reaches outside project " + project) + " (" + violations.size()
        + (violations.size() == 1 ? " violation" : " violations") + "); nothing was written:\n  - "
        + String.join("\n  - ", violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a project violation needs at least one violation");
    }
    this.application = application;
    this.project = project;
    this.violations = List.copyOf(violations);
  }

  public String application() {
    return application;
  }

  /** The project, or {@code ""} when the application belongs to none. */
  public String project() {
    return project;
  }

  /** One line per violation, naming the object and the rule. */
  public List<String> violations() {
    return violations;
  }
}
