package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A periodic resync of converged applications on {@link KubernetesCluster} is answered from the
 * informers' stores: no request reaches the API server (kubernetes-mock-server over HTTP). Drift
 * made out of band is seen through the watch and repaired by a write that carries the
 * resourceVersion it was checked against.
 */
class CachedResyncIT {
  private static final int APPS = 5;
  private static final Duration RESYNC = Duration.ofMinutes(10);
  private static final List<GroupKind> KINDS = List.of(new GroupKind("apps", "Deployment"),
      new GroupKind("", "Service"), new GroupKind("networking.k8s.io", "Ingress"),
      new GroupKind("", "PersistentVolumeClaim"), new GroupKind("", "ConfigMap"));

  static Application app(int i) {
    return Application.builder("app").namespace("tenant-" + i)
        .component(Component.builder("web", "webservice").property("image", "acme/web:" + i)
            .trait(Trait.of("ingress", Map.of("host", "app-" + i + ".example.com"))).build())
        .component(Component.builder("jobs", "worker").property("image", "acme/jobs:" + i)
            .trait(Trait.of("storage", Map.of("name", "data", "size", "1Gi", "mountPath", "/data"))).build())
        .build();
  }

  @Test
  void aResyncOfAConvergedSetSendsNoRequestToTheApiServer() throws Exception {
    ManualClock clock = ManualClock.create();
    try (MockApi api = new MockApi(); KubernetesCluster cluster = api.cluster("dev");
        KubernetesCluster observer = api.cluster("observer");
        Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = plane(cluster, clock, scheduler)) {
      Requests requests = new Requests(api);
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = observer.watch(KINDS, events::add)) {
        plane.start();
        for (int i = 0; i < APPS; i++) {
          plane.submit(app(i));
        }
        converge(plane, events);
        assertThat(plane.statuses().values()).hasSize(APPS).allMatch(s -> s.isInSync());
        List<String> converge = requests.since();
        assertThat(converge).as("converging writes").anyMatch(r -> r.startsWith("POST"));

        for (int round = 1; round <= 3; round++) {
          clock.advance(RESYNC); // the periodic resync queues every application
          assertThat(plane.awaitIdle(Duration.ofSeconds(30))).isTrue();
          assertThat(requests.since()).as("requests of resync %d", round).isEmpty();
        }
        assertThat(plane.statuses().values()).allMatch(s -> s.isInSync());
      }
    }
  }

  private static final String OUT_OF_BAND = "X-Test-Out-Of-Band";

  @Test
  void driftMadeOutOfBandIsRepairedThroughTheWatchWithAWriteCarryingTheCheckedVersion() throws Exception {
    ManualClock clock = ManualClock.create();
    // The mock server's record of a request loses its body once served: the plane's client
    // records the body of each write it sends.
    List<String> sentWrites = new CopyOnWriteArrayList<>();
    Interceptor recordWrites = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (!"GET".equals(request.method())) {
          sentWrites.add(request.method() + " " + request.uri().getPath() + " " + request.bodyString());
        }
      }
    };
    try (MockApi api = new MockApi();
        KubernetesClient planeClient = new KubernetesClientBuilder().withConfig(api.config())
            .withHttpClientFactory(new JdkHttpClientFactory())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record-writes", recordWrites)).build();
        KubernetesCluster cluster = KubernetesCluster.builder("dev").client(planeClient).limits(MockApi.FAST).build();
        KubernetesCluster observer = api.cluster("observer");
        // The out-of-band editor's requests carry a header, so the server's record tells them
        // from the plane's, which may start repairing as soon as the edit is stored.
        KubernetesClient raw = new KubernetesClientBuilder().withConfig(api.config())
            .withHttpClientFactory(new JdkHttpClientFactory())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("mark-out-of-band", new Interceptor() {
              @Override
              public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                builder.header(OUT_OF_BAND, "true");
              }
            })).build();
        Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = plane(cluster, clock, scheduler)) {
      Requests requests = new Requests(api);
      BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
      try (AutoCloseable watch = observer.watch(KINDS, events::add)) {
        plane.start();
        for (int i = 0; i < APPS; i++) {
          plane.submit(app(i));
        }
        converge(plane, events);
        requests.since(); // converged and idle (no resync is due): nothing of the plane's is in flight
        sentWrites.clear();

        Deployment web = raw.apps().deployments().inNamespace("tenant-2").withName("web").get();
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("attacker/web:evil");
        Deployment edited = raw.apps().deployments().inNamespace("tenant-2").resource(web).update();
        String driftedVersion = edited.getMetadata().getResourceVersion();

        // The watch brings the edit; the plane repairs it at once, before any resync is due.
        TestResources.awaitEvent(events, e -> e.type() == WatchEvent.Type.MODIFIED && e.resource().name().equals("web")
            && e.resource().namespace().equals("tenant-2")
            && !e.resource().at("/spec/template/spec/containers/0/image").asString().startsWith("attacker"),
            Duration.ofSeconds(30));
        converge(plane, events);
        assertThat(raw.apps().deployments().inNamespace("tenant-2").withName("web").get().getSpec().getTemplate()
            .getSpec().getContainers().get(0).getImage()).isEqualTo("acme/web:2");

        List<RecordedRequest> sinceEdit = requests.recordedSince();
        List<String> outOfBand = sinceEdit.stream().filter(r -> r.getHeader(OUT_OF_BAND) != null)
            .map(r -> r.getMethod() + " " + r.getPath()).toList();
        List<RecordedRequest> repair = sinceEdit.stream().filter(r -> r.getHeader(OUT_OF_BAND) == null).toList();
        // The repair reads the object fresh and writes with the resourceVersion it checked. With
        // ApplyMode.AUTO the first update tries server-side apply, which the mock refuses (415),
        // before the update by PUT; both carry the version, as every write does.
        List<RecordedRequest> writes = repair.stream().filter(r -> !"GET".equals(r.getMethod())).toList();
        assertThat(writes).as("writes of the repair (after %s)", outOfBand).isNotEmpty()
            .allSatisfy(w -> assertThat(w.getPath()).startsWith("/apis/apps/v1/namespaces/tenant-2/deployments/web"));
        assertThat(writes.get(writes.size() - 1).getMethod()).isEqualTo("PUT");
        assertThat(sentWrites).hasSameSizeAs(writes).allSatisfy(w -> assertThat(w)
            .as("the write carries the version it was checked against")
            .contains("\"resourceVersion\":\"" + driftedVersion + "\""));
        assertThat(repair).filteredOn(r -> "GET".equals(r.getMethod())).extracting(RecordedRequest::getPath)
            .as("the fresh read before the write").contains("/apis/apps/v1/namespaces/tenant-2/deployments/web");

        clock.advance(RESYNC);
        assertThat(plane.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(requests.since()).as("requests of the resync after the repair").isEmpty();
      }
    }
  }

  private static OrchestrationPlane plane(KubernetesCluster cluster, ManualClock clock, Scheduler scheduler) {
    return OrchestrationPlane.builder().cluster(cluster).clock(clock).scheduler(scheduler)
        .readinessGates(false) // no kubelet behind the mock: Deployments never become available
        .progressDeadline(Duration.ofHours(1))
        .resyncPeriod(RESYNC)
        .workers(2).build();
  }

  /** Waits until the plane is idle and the watch has gone quiet (events of the plane's own writes arrive later). */
  private static void converge(OrchestrationPlane plane, BlockingQueue<WatchEvent> events) throws Exception {
    do {
      assertThat(plane.awaitIdle(Duration.ofSeconds(30))).isTrue();
    } while (!TestResources.awaitQuiet(events, Duration.ofMillis(300)).isEmpty());
  }

  /** The requests the mock server received, window by window. */
  private static final class Requests {
    private final MockApi api;
    private int taken;

    Requests(MockApi api) {
      this.api = api;
    }

    List<String> since() throws InterruptedException {
      List<String> out = new ArrayList<>();
      for (RecordedRequest r : recordedSince()) {
        out.add(r.getMethod() + " " + r.getPath());
      }
      return out;
    }

    List<RecordedRequest> recordedSince() throws InterruptedException {
      int count = api.server.getRequestCount();
      List<RecordedRequest> out = new ArrayList<>();
      for (; taken < count; taken++) {
        RecordedRequest r = api.server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("recorded request %d", taken).isNotNull();
        out.add(r);
      }
      return out;
    }
  }
}
