package io.orchestrationplane.core.access;

import io.orchestrationplane.core.observe.Subject;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One question to {@link AccessControl}: may {@code subject} do {@code action} with an application
 * of {@code project}, or with one of its environments?
 *
 * <p>In policy terms the resource is {@value #RESOURCE} and the object is {@code
 * <project>/<namespace>/<name>} (Argo CD's form for applications in any namespace), or {@code
 * <project>/<namespace>/<name>/<environment>} for a request about one environment.
 *
 * @param application the application id, {@code <namespace>.<name>}
 * @param environment the environment the action touches, or null for the whole application
 */
public record AccessRequest(Subject subject, Action action, String project, String application,
    @Nullable String environment) {
  /** The policy resource of every request the plane makes, as in Argo CD. */
  public static final String RESOURCE = "applications";

  public AccessRequest {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(application, "application");
    if (project.isBlank() || application.isBlank()) {
      throw new IllegalArgumentException("an access request needs a project and an application");
    }
    if (environment != null && environment.isBlank()) {
      throw new IllegalArgumentException("an environment must not be blank");
    }
  }

  /** A request about the whole application. */
  public static AccessRequest of(Subject subject, Action action, String project, String application) {
    return new AccessRequest(subject, action, project, application, null);
  }

  /** {@code <project>/<namespace>/<name>}: the object of the application itself. */
  public String applicationObject() {
    int dot = application.indexOf('.');
    String path = dot < 0 ? application : application.substring(0, dot) + "/" + application.substring(dot + 1);
    return project + "/" + path;
  }

  /** The policy object: {@link #applicationObject()}, followed by {@code /<environment>} for one environment. */
  public String object() {
    return environment == null ? applicationObject() : applicationObject() + "/" + environment;
  }

  /** {@code applications, sync, shop/shop/checkout/prod}: the request as a policy line would name it. */
  public String describe() {
    return RESOURCE + ", " + action.policyName() + ", " + object();
  }
}
