package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The webhook notifier against a real JDK HTTP server. */
class WebhookNotifierTest {
  private HttpServer server;
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failWith = 503;
  private final Fixture f = new Fixture();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hooks/releases", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      int code = 204;
      if (failuresLeft.getAndDecrement() > 0) {
        code = failWith;
      } else {
        bodies.add(Json.readJson(new String(body, StandardCharsets.UTF_8)));
        assertThat(exchange.getRequestHeaders().getFirst("Content-Type")).isEqualTo("application/json");
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    f.close();
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/releases?token=s3cret");
  }

  @Test
  void aNotifyStepPostsTheReleaseAsJsonRetryingServerErrors() {
    failuresLeft.set(2);
    Notifier hook = WebhookNotifier.builder(uri()).header("Authorization", "Bearer t0ken").attempts(3).build();
    Delivery delivery = f.delivery().notifier("chat", hook).build();
    Release r = delivery.start(Fixture.shop("1"), Workflow.builder("tell")
        .step(Step.apply("deploy-dev", "dev")).step(Step.notify("tell", "chat", "dev has it")).build(),
        Subject.of("dana"), Origin.code());
    delivery.runPending();

    assertThat(tokens).hasSize(3).containsOnly("Bearer t0ken");
    assertThat(bodies).singleElement().satisfies(b -> {
      assertThat(b.get("application").asString()).isEqualTo("shop.shop");
      assertThat(b.get("release").asLong()).isEqualTo(1);
      assertThat(b.get("digest").asString()).isEqualTo(r.digest());
      assertThat(b.get("step").asString()).isEqualTo("tell");
      assertThat(b.get("message").asString()).isEqualTo("dev has it");
      assertThat(b.get("author").asString()).isEqualTo("dana");
      assertThat(b.get("time").asString()).isEqualTo(f.clock.instant().toString());
    });
    assertThat(delivery.status("shop.shop").run().orElseThrow().phase()).isEqualTo(ReleaseStatus.RunPhase.SUCCEEDED);
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // without a bound on the answer, this would wait without end
  void anAnswerWhoseBodyNeverEndsCountsByItsStatusAndDoesNotHoldTheStep() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger posts = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean bodyEnded = new java.util.concurrent.atomic.AtomicBoolean();
    server.createContext("/hooks/slow", exchange -> {
      exchange.getRequestBody().readAllBytes();
      posts.incrementAndGet();
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write("{\"ok\":".getBytes(StandardCharsets.UTF_8));
      exchange.getResponseBody().flush();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS); // the rest of the body, never
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      bodyEnded.set(true);
      exchange.close();
    });
    URI slow = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/slow");
    Notifier hook = WebhookNotifier.builder(slow).timeout(Duration.ofMillis(500)).attempts(2).build();
    try {
      hook.send(new Notification("shop.shop", 1, "sha256:1", "tell", "tell", "dev has it", "dana",
          java.time.Instant.parse("2026-12-05T00:00:00Z")));
      assertThat(bodyEnded).as("returned before the server ended the body").isFalse();
      assertThat(posts).hasValue(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void attemptsRunOutAndTheStepRetriesOnTheDeliverysClock() {
    failuresLeft.set(4);
    Notifier hook = WebhookNotifier.builder(uri()).attempts(2).build();
    Delivery delivery = f.delivery().notifier("chat", hook).build();
    delivery.start(Fixture.shop("1"), Workflow.builder("tell")
        .step(Step.notify("tell", "chat", "hello").retries(1, Duration.ofMinutes(5))).build(), Subject.of("dana"), Origin.code());
    delivery.runPending();
    ReleaseStatus.StepStatus step = delivery.status("shop.shop").activeSteps().get(0);
    assertThat(step.waitingFor().orElseThrow()).isInstanceOf(WaitingFor.Retry.class);
    assertThat(step.message()).contains("answered 503 after 2 attempts").doesNotContain("s3cret");
    assertThat(bodies).isEmpty();
    f.clock.advance(Duration.ofMinutes(5));
    delivery.runPending();
    assertThat(delivery.status("shop.shop").run().orElseThrow().phase()).isEqualTo(ReleaseStatus.RunPhase.FAILED);
    assertThat(tokens).hasSize(4);
  }

  @Test
  void aClientErrorIsNotRetried() {
    failuresLeft.set(1);
    failWith = 400;
    Notifier hook = WebhookNotifier.builder(uri()).attempts(3).build();
    Notification n = new Notification("shop.shop", 1, "hmac-sha256:00", "w", "tell", "m", "dana", f.clock.instant());
    assertThatThrownBy(() -> hook.send(n)).hasMessage("webhook http://127.0.0.1:" + server.getAddress().getPort()
        + "/hooks/releases answered 400");
    assertThat(tokens).hasSize(1);
  }
}
