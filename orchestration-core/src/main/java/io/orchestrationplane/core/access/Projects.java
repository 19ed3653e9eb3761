package io.orchestrationplane.core.access;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The projects of a plane, and which one an application belongs to: the first, in the order
 * given, whose {@link Project#applicationNamespaces()} match the application's namespace. An
 * application of no project is refused (nothing is planned or written for it). Operator mode
 * maps each Application object to a project the same way, by its namespace. Immutable.
 */
public record Projects(List<Project> projects) {
  public Projects {
    projects = List.copyOf(projects);
    Set<String> names = new HashSet<>();
    for (Project p : projects) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two projects are named " + p.name());
      }
    }
    if (projects.isEmpty()) {
      throw new IllegalArgumentException("projects(...) needs at least one project");
    }
  }

  public static Projects of(Project... projects) {
    return new Projects(List.of(projects));
  }

  /** The project that applications of {@code namespace} belong to. */
  public Optional<Project> forNamespace(String namespace) {
    for (Project p : projects) {
      if (p.hasApplicationsOf(namespace)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The project by name. */
  public Optional<Project> named(String name) {
    return projects.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
