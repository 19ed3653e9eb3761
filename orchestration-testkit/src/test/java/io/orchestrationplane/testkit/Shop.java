package io.orchestrationplane.testkit;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Placement;
import java.util.Map;

/** The applications the testkit's own tests deploy. */
public final class Shop {
  private Shop() {}

  /** db (worker) ← api (webservice, {@code replicas}) ← web (webservice): three components in a chain. */
  public static Application shop(int replicas) {
    return shop("acme/api:1", replicas);
  }

  public static Application shop(String apiImage, int replicas) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("db", "worker").property("image", "acme/db:1").build())
        .component(Component.builder("api", "webservice").property("image", apiImage).property("replicas", replicas)
            .dependsOn("db").build())
        .component(Component.builder("web", "webservice").property("image", "acme/web:1").dependsOn("api").build())
        .build();
  }

  /** One webservice {@code <name>/api} placed on the clusters labelled {@code tier=<tier>}. */
  public static Application placed(String name, String tier) {
    return Application.builder(name).namespace(name)
        .component(Component.builder("api", "webservice").property("image", "acme/" + name + ":1").build())
        .environment(Environment.builder(tier).placement(Placement.selector(Map.of("tier", tier))).build())
        .build();
  }
}
