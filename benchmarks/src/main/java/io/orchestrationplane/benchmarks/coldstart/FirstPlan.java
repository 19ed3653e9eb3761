package io.orchestrationplane.benchmarks.coldstart;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import java.util.Map;

/**
 * The first plan of a fresh JVM: builds a plane with one in-memory cluster, plans a one-component
 * application with an ingress, prints the plan's summary and exits. Time it as a whole process
 * against {@code java -version} (the JVM's own start and exit) with {@code
 * benchmarks/coldstart/first-plan.sh}.
 *
 * <p>{@code java -cp ... FirstPlan} builds the application in Java, as an embedder does; {@code
 * FirstPlan --yaml} loads the same application from YAML through {@link OrchestrationPlane#load}
 * first, as the CLI and GitOps do. Exits 1 unless the plan creates the Deployment, Service and
 * Ingress, so a run that measures a failure does not pass for a fast plan.
 */
public final class FirstPlan {
  static final String YAML = """
      apiVersion: orchestrationplane.io/v1alpha1
      kind: Application
      metadata:
        name: shop
        namespace: shop
      spec:
        components:
          - name: web
            type: webservice
            properties:
              image: acme/web:1.0
              port: 8080
            traits:
              - type: ingress
                properties:
                  host: shop.example.com
      """;

  private FirstPlan() {
  }

  public static void main(String[] args) {
    boolean yaml = args.length > 0 && args[0].equals("--yaml");
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("local")).build()) {
      Application app = yaml ? plane.load(YAML) : Application.builder("shop").namespace("shop")
          .component(Component.builder("web", "webservice").property("image", "acme/web:1.0").property("port", 8080)
              .trait(Trait.of("ingress", Map.of("host", "shop.example.com"))).build())
          .build();
      Plan plan = plane.plan(app);
      System.out.println(plan.summary());
      if (plan.creates().size() != 3) {
        System.err.println("expected 3 creates (Deployment, Service, Ingress), got: " + plan.toText());
        System.exit(1);
      }
    }
  }
}
