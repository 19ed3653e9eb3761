package io.orchestrationplane.benchmarks.health;

import io.orchestrationplane.core.health.ApplicationHealth;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.health.ResourceHealth;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of assessing live objects (a status controller assesses every object of every
 * application on each change) and of aggregating an application's resources.
 *
 * <pre>
 * mvn -B -o -q -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/cp.txt
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)" org.openjdk.jmh.Main HealthAssessmentBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HealthAssessmentBenchmark {
  private HealthAssessors assessors;
  private Resource deployment;
  private Resource crashLoopingPod;
  private Resource configMap;
  private List<ResourceHealth> application;

  @Setup
  public void setUp() {
    assessors = HealthAssessors.defaults();
    deployment = Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, generation: 4}
        spec: {replicas: 3, template: {spec: {containers: [{name: app, image: shop/api:1}]}}}
        status:
          observedGeneration: 4
          replicas: 3
          updatedReplicas: 3
          readyReplicas: 3
          availableReplicas: 3
          conditions:
          - {type: Available, status: "True", reason: MinimumReplicasAvailable}
          - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
        """);
    crashLoopingPod = Resource.fromYaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: api-1, namespace: shop}
        spec: {restartPolicy: Always, containers: [{name: app, image: shop/api:1}]}
        status:
          phase: Running
          conditions: [{type: Ready, status: "False"}]
          containerStatuses:
          - name: app
            restartCount: 4
            state: {waiting: {reason: CrashLoopBackOff, message: back-off 1m20s restarting failed container}}
            lastState: {terminated: {exitCode: 1, reason: Error}}
        """);
    configMap = Resource.of("v1", "ConfigMap", "shop", "settings");
    application = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      HealthStatus s = i == 70 ? HealthStatus.degraded("Deployment shop/d70 exceeded its progress deadline")
          : HealthStatus.healthy("ok");
      application.add(new ResourceHealth(ResourceKey.of("prod", "apps", "Deployment", "shop", "d" + i), s));
    }
  }

  @Benchmark
  public HealthStatus healthyDeployment() {
    return assessors.assess(deployment);
  }

  @Benchmark
  public HealthStatus crashLoopingPod() {
    return assessors.assess(crashLoopingPod);
  }

  @Benchmark
  public HealthStatus kindWithoutAssessor() {
    return assessors.assess(configMap);
  }

  @Benchmark
  public ApplicationHealth aggregateHundredResources() {
    return ApplicationHealth.of(application);
  }
}
