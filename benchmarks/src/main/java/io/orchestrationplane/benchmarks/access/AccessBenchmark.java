package io.orchestrationplane.benchmarks.access;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.AccessRequest;
import io.orchestrationplane.core.access.Action;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.RbacPolicy;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Authorization cost per call. The policy is a mid-sized organisation's: {@value #PROJECTS}
 * projects, each with a deployer and a viewer role (glob objects, a deny on production), {@value
 * #USERS} users bound to them through {@value #PROJECTS} groups, and the default role {@code
 * role:readonly}. {@code decide*} is one {@link RbacPolicy#decide} (nanoseconds); {@code plan*}
 * is one {@code plane.plan(app, subject)} of a converged ten-object application, without and
 * with access control and a project's fence, so that their difference is what governance adds
 * to a call (a converged plan is the cheapest call there is: the planner reuses its last plan).
 *
 * <pre>
 * java -jar benchmarks.jar access.AccessBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AccessBenchmark {
  static final int PROJECTS = 50;
  static final int USERS = 1_000;

  private RbacPolicy policy;
  private AccessRequest allowed;
  private AccessRequest deniedByLine;
  private AccessRequest noLine;
  private AccessRequest readByDefault;
  private InMemoryCluster cluster;
  private OrchestrationPlane bare;
  private OrchestrationPlane governed;
  private Application app;
  private Subject deployer;

  static String policyCsv() {
    StringBuilder csv = new StringBuilder("# generated for the benchmark\n");
    for (int p = 0; p < PROJECTS; p++) {
      csv.append("p, role:deployer-").append(p).append(", applications, *, team-").append(p).append("/*, allow\n");
      csv.append("p, role:deployer-").append(p).append(", applications, sync, team-").append(p)
          .append("/*/prod, deny\n");
      csv.append("p, role:viewer-").append(p).append(", applications, get, team-").append(p).append("/*, allow\n");
      csv.append("g, my-org:team-").append(p).append(", role:deployer-").append(p).append('\n');
      csv.append("g, role:deployer-").append(p).append(", role:viewer-").append(p).append('\n');
    }
    for (int u = 0; u < USERS; u++) {
      csv.append("g, user-").append(u).append(", my-org:team-").append(u % PROJECTS).append('\n');
    }
    return csv.toString();
  }

  static Application app() {
    return Application.builder("shop").namespace("team-7")
        .component(Component.builder("web", "webservice").property("image", "acme/web:1").property("port", 8080)
            .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
            .trait(Trait.of("autoscaler", Map.of("min", 2, "max", 10))).dependsOn("api").build())
        .component(Component.builder("api", "webservice").property("image", "acme/api:1").property("port", 9000)
            .build())
        .component(Component.builder("admin", "webservice").property("image", "acme/admin:1").build())
        .component(Component.builder("worker", "worker").property("image", "acme/worker:1")
            .trait(Trait.of("storage", Map.of("name", "data", "size", "10Gi", "mountPath", "/data"))).build())
        .environment(Environment.builder("staging").build())
        .build();
  }

  @Setup
  public void setUp() {
    policy = RbacPolicy.parse(policyCsv()).withDefaultRole("role:readonly");
    Subject member = Subject.of("user-7", "sso:everyone");
    allowed = new AccessRequest(member, Action.SYNC, "team-7", "team-7.shop", "staging");
    deniedByLine = new AccessRequest(member, Action.SYNC, "team-7", "team-7.shop", "prod");
    noLine = new AccessRequest(member, Action.SYNC, "team-8", "team-8.shop", "staging");
    readByDefault = AccessRequest.of(Subject.of("stranger"), Action.GET, "team-8", "team-8.shop");
    check(policy.decide(allowed).isAllowed() && !policy.decide(deniedByLine).isAllowed()
        && !policy.decide(noLine).isAllowed() && policy.decide(readByDefault).isAllowed(), "policy decisions");

    cluster = InMemoryCluster.create("prod");
    app = app();
    deployer = Subject.of("user-7");
    bare = OrchestrationPlane.builder().cluster(cluster).readinessGates(false).logging(false).build();
    governed = OrchestrationPlane.builder().cluster(cluster).readinessGates(false).logging(false)
        .accessControl(policy)
        .projects(Project.builder("team-7").applicationNamespaces("team-7").destination("*", "team-7").build())
        .build();
    check(governed.apply(app, deployer).succeeded(), "setup apply");
    check(!bare.plan(app).hasChanges() && !governed.plan(app, deployer).hasChanges(), "converged plans");
  }

  @TearDown
  public void tearDown() {
    bare.close();
    governed.close();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark setup failed: " + what);
    }
  }

  @Benchmark
  public boolean decideAllowed() {
    return policy.decide(allowed).isAllowed();
  }

  @Benchmark
  public boolean decideDeniedByALine() {
    return policy.decide(deniedByLine).isAllowed();
  }

  @Benchmark
  public boolean decideNoLineMatches() {
    return policy.decide(noLine).isAllowed();
  }

  @Benchmark
  public boolean decideByTheDefaultRole() {
    return policy.decide(readByDefault).isAllowed();
  }

  @Benchmark
  public Plan planWithoutGovernance() {
    return bare.plan(app);
  }

  @Benchmark
  public Plan planWithAccessControlAndProject() {
    return governed.plan(app, deployer);
  }
}
