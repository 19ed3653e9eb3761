package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.model.IgnoreDifferences;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.internal.ListSemantics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the planner decides that a field differs, beyond Kubernetes' own rules (see
 * {@code docs/diff.md}): differences to ignore ({@link IgnoreDifferences}, {@link DiffNormalizer}),
 * how lists of custom kinds merge (the {@code x-kubernetes-list-type} and
 * {@code x-kubernetes-list-map-keys} of their CRD), and on which clusters to ask the API server
 * itself what an apply would change (server-side diff). Immutable; built once.
 *
 * <pre>{@code
 * DiffSettings diff = DiffSettings.builder()
 *     .ignore(IgnoreDifferences.builder("apps", "Deployment").managedFieldsManagers("kube-controller-manager").build())
 *     .listMap(new GroupKind("example.com", "Pipeline"), "spec.stages", "name")
 *     .serverSideDiff("prod")
 *     .build();
 * OrchestrationPlane.builder().diff(diff)...
 * }</pre>
 */
public final class DiffSettings {
  private static final DiffSettings DEFAULTS = builder().build();

  private final List<IgnoreDifferences> ignore;
  private final List<DiffNormalizer> normalizers;
  private final ListSemantics lists;
  private final Set<String> serverSideClusters;
  private final boolean serverSideEverywhere;

  private DiffSettings(Builder b) {
    this.ignore = List.copyOf(b.ignore);
    this.normalizers = List.copyOf(b.normalizers);
    this.lists = ListSemantics.with(b.lists);
    this.serverSideClusters = Set.copyOf(b.serverSide);
    this.serverSideEverywhere = b.serverSideEverywhere;
  }

  /** Kubernetes' rules only: nothing ignored, client-side comparison everywhere. */
  public static DiffSettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The ignore rules, in the order given. */
  public List<IgnoreDifferences> ignore() {
    return ignore;
  }

  public List<DiffNormalizer> normalizers() {
    return normalizers;
  }

  /** The list merge rules: Kubernetes' built-in lists and those registered here. */
  ListSemantics lists() {
    return lists;
  }

  /** True when plans against {@code cluster} ask its API server what an apply would change. */
  public boolean serverSideDiff(String cluster) {
    return serverSideEverywhere || serverSideClusters.contains(cluster);
  }

  /** Builds {@link DiffSettings}; every method checks its arguments at once. */
  public static final class Builder {
    private final List<IgnoreDifferences> ignore = new ArrayList<>();
    private final List<DiffNormalizer> normalizers = new ArrayList<>();
    private final List<ListSemantics.Registered> lists = new ArrayList<>();
    private final Set<String> serverSide = new LinkedHashSet<>();
    private boolean serverSideEverywhere;

    private Builder() {}

    /** Differences matching this rule do not count. */
    public Builder ignore(IgnoreDifferences rule) {
      ignore.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** A custom normalizer, asked about every difference found. */
    public Builder normalizer(DiffNormalizer normalizer) {
      normalizers.add(Objects.requireNonNull(normalizer, "normalizer"));
      return this;
    }

    /**
     * The list at {@code path} ({@code spec.stages}, {@code spec.items[].ports}) of objects of
     * {@code kind} merges by the given key fields ({@code x-kubernetes-list-type: map}).
     */
    public Builder listMap(GroupKind kind, String path, String... keys) {
      if (keys.length == 0) {
        throw new IllegalArgumentException("listMap " + kind + " " + path + ": name at least one key field");
      }
      lists.add(new ListSemantics.Registered(Objects.requireNonNull(kind, "kind"), checkPath(path),
          new ListSemantics.Rule(ListSemantics.Type.MAP, List.of(keys), Map.of())));
      return this;
    }

    /** The list at {@code path} of objects of {@code kind} is a set ({@code x-kubernetes-list-type: set}). */
    public Builder listSet(GroupKind kind, String path) {
      lists.add(new ListSemantics.Registered(Objects.requireNonNull(kind, "kind"), checkPath(path),
          new ListSemantics.Rule(ListSemantics.Type.SET, List.of(), Map.of())));
      return this;
    }

    /** The list at {@code path} of objects of {@code kind} is replaced whole ({@code x-kubernetes-list-type: atomic}). */
    public Builder listAtomic(GroupKind kind, String path) {
      lists.add(new ListSemantics.Registered(Objects.requireNonNull(kind, "kind"), checkPath(path),
          new ListSemantics.Rule(ListSemantics.Type.ATOMIC, List.of(), Map.of())));
      return this;
    }

    /**
     * Plans against these clusters ask the API server (a server-side apply dry run) what an apply
     * would change, where the cluster's driver supports it; elsewhere the comparison stays
     * client-side. The plan says which was used.
     */
    public Builder serverSideDiff(String... clusters) {
      for (String c : clusters) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("serverSideDiff: cluster names must not be blank");
        }
        serverSide.add(c);
      }
      return this;
    }

    /** Server-side diff on every cluster whose driver supports it. */
    public Builder serverSideDiffEverywhere() {
      serverSideEverywhere = true;
      return this;
    }

    public DiffSettings build() {
      return new DiffSettings(this);
    }

    private static String checkPath(String path) {
      if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".")) {
        throw new IllegalArgumentException("list path must be field names joined by '.' (with [] for list elements), got '"
            + path + "'");
      }
      return path;
    }
  }
}
