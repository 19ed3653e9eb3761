package io.orchestrationplane.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A project's invariants, checked when it is built, and which project an application belongs to. */
class ProjectTest {
  @Test
  void aProjectNeedsApplicationNamespacesAndAnAllowedDestination() {
    assertThatThrownBy(() -> Project.builder("shop").destination("*", "shop").build())
        .hasMessageContaining("project shop needs applicationNamespaces");
    assertThatThrownBy(() -> Project.builder("shop").applicationNamespaces("shop").build())
        .hasMessage("project shop needs at least one allowed destination");
    assertThatThrownBy(() -> Project.builder("shop").applicationNamespaces("shop").destination("*", "!kube-system")
        .build()).as("only denied destinations allow nothing").hasMessageContaining("allowed destination");
    assertThatThrownBy(() -> Project.builder("a/b").applicationNamespaces("a").destination("*", "a").build())
        .hasMessageContaining("without '/'");
  }

  @Test
  void badPatternsAreRefusedNamingWhere() {
    assertThatThrownBy(() -> Project.builder("shop").applicationNamespaces("shop-[").destination("*", "shop").build())
        .hasMessage("project shop: applicationNamespaces: glob 'shop-[': '[' at column 6 is not closed");
    assertThatThrownBy(() -> Project.builder("shop").applicationNamespaces("shop").destination("prod-{a", "shop"))
        .hasMessage("destination cluster: glob 'prod-{a': '{' is not closed");
    assertThatThrownBy(() -> Project.builder("shop").clusterScopedKind("", " "))
        .hasMessage("kind: a pattern must not be blank");
  }

  @Test
  void anApplicationBelongsToTheFirstProjectWhoseNamespacesMatch() {
    Project shop = Project.builder("shop").applicationNamespaces("shop", "shop-*").destination("*", "shop*").build();
    Project all = Project.builder("catch-all").applicationNamespaces("*").destination("*", "*").build();
    Projects projects = Projects.of(shop, all);
    assertThat(projects.forNamespace("shop-dev")).contains(shop);
    assertThat(projects.forNamespace("billing")).contains(all);
    assertThat(Projects.of(shop).forNamespace("billing")).isEmpty();
    assertThatThrownBy(() -> Projects.of(shop, shop)).hasMessage("two projects are named shop");
  }
}
