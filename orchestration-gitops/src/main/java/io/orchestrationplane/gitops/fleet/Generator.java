package io.orchestrationplane.gitops.fleet;

import io.orchestrationplane.core.cluster.ClusterRegistry;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.gitops.GitRepository;
import io.orchestrationplane.gitops.GitSnapshot;
import io.orchestrationplane.policy.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Produces the parameter sets a {@link Fleet} renders its template with, one application per
 * item. A generator that cannot produce its items (a registry or repository unreachable) throws:
 * the fleet then submits and removes nothing. Implement it for a source of your own.
 */
@FunctionalInterface
public interface Generator {

  /** The items now, in a stable order; throws when they cannot be known. */
  List<Item> generate();

  /**
   * One item: its template parameters and where the application it renders comes from.
   *
   * @param parameters values for the template's {@code {{name}}} placeholders
   * @param origin the origin recorded with the application's revisions
   */
  record Item(Map<String, String> parameters, Origin origin) {
    public Item {
      parameters = Map.copyOf(parameters);
      Objects.requireNonNull(origin, "origin");
    }
  }

  /** One item per element, its parameters the element's entries (ApplicationSet's list generator). */
  static Generator list(List<Map<String, String>> elements) {
    List<Item> items = new ArrayList<>();
    for (Map<String, String> e : elements) {
      items.add(new Item(e, Origin.code()));
    }
    List<Item> fixed = List.copyOf(items);
    return () -> fixed;
  }

  /** {@link #clusters(Supplier, LabelSelector)} over a fixed registry, e.g. {@code plane.clusters()}. */
  static Generator clusters(ClusterRegistry registry, LabelSelector selector) {
    Objects.requireNonNull(registry, "registry");
    return clusters(() -> registry, selector);
  }

  /**
   * One item per registered cluster whose labels match {@code selector} (ApplicationSet's cluster
   * generator), in registration order. Parameters: {@code name}, {@code nameNormalized} (lower
   * case, characters other than letters, digits, '-' and '.' as '-') and {@code
   * metadata.labels.<key>} for each label. {@code registry} is asked on every refresh; when it
   * throws, the generator fails.
   */
  static Generator clusters(Supplier<ClusterRegistry> registry, LabelSelector selector) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(selector, "selector");
    return () -> {
      List<Item> items = new ArrayList<>();
      for (ClusterRegistry.Entry e : registry.get().entries()) {
        if (selector.matches(e.labels())) {
          Map<String, String> p = new LinkedHashMap<>();
          p.put("name", e.name());
          p.put("nameNormalized", normalize(e.name()));
          e.labels().forEach((k, v) -> p.put("metadata.labels." + k, v));
          items.add(new Item(p, Origin.code()));
        }
      }
      return items;
    };
  }

  /**
   * One item per directory of the repository's followed commit whose path matches one of the
   * globs (ApplicationSet's Git directory generator; {@code apps/*}). Parameters: {@code path},
   * {@code path.basename}, {@code path.basenameNormalized} and {@code path[n]} for each segment.
   * Each application's origin is the directory at the commit. The repository is fetched on
   * every refresh; a fetch that fails, or a commit refused by signature verification, fails the generator.
   */
  static Generator gitDirectories(GitRepository repository, String... globs) {
    Objects.requireNonNull(repository, "repository");
    if (globs.length == 0) {
      throw new IllegalArgumentException("give at least one directory glob, e.g. apps/*");
    }
    List<String> patterns = List.of(globs);
    return () -> {
      GitSnapshot snapshot = repository.fetch();
      if (snapshot.commit().verification() instanceof io.orchestrationplane.gitops.Verification.Refused r) {
        throw new IllegalStateException(r.reason());
      }
      List<Item> items = new ArrayList<>();
      for (String dir : snapshot.directories(patterns)) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("path", dir);
        String[] segments = dir.split("/");
        String base = segments[segments.length - 1];
        p.put("path.basename", base);
        p.put("path.basenameNormalized", normalize(base));
        for (int i = 0; i < segments.length; i++) {
          p.put("path[" + i + "]", segments[i]);
        }
        items.add(new Item(p, snapshot.commit().origin(repository.url(), dir)));
      }
      return items;
    };
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }
}
