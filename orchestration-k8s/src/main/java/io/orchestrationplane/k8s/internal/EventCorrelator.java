package io.orchestrationplane.k8s.internal;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * client-go's EventCorrelator over a {@link ClusterDriver}: a spam filter (token bucket per
 * source and object), an aggregator (similar events with different messages are combined after
 * {@code maxSimilar} within {@code window}) and a logger of what was written (an equal event
 * increments the count of the Event written before). Caches are bounded LRU maps (4,096 entries,
 * client-go's size). Thread-safe: one lock; the write happens under it, so that two equal events
 * never create two Events.
 */
public final class EventCorrelator {
  private static final Logger LOG = LoggerFactory.getLogger(EventCorrelator.class);
  private static final int CACHE_ENTRIES = 4096;
  private static final int MAX_MESSAGE = 1024;
  static final String COMBINED = "(combined from similar events): ";

  private final ClusterDriver cluster;
  private final String component;
  private final Clock clock;
  private final int burst;
  private final Duration refill;
  private final int maxSimilar;
  private final Duration window;

  private final Map<String, Bucket> spam = lru();
  private final Map<String, Similar> similar = lru();
  private final Map<String, Resource> written = lru();
  private long lastNanos;

  private static final class Bucket {
    double tokens;
    Instant at;

    Bucket(double tokens, Instant at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  private static final class Similar {
    final Set<String> messages = new HashSet<>();
    Instant last;

    Similar(Instant last) {
      this.last = last;
    }
  }

  public EventCorrelator(ClusterDriver cluster, String component, Clock clock, int burst, Duration refill,
      int maxSimilar, Duration window) {
    this.cluster = cluster;
    this.component = component;
    this.clock = clock;
    this.burst = burst;
    this.refill = refill;
    this.maxSimilar = maxSimilar;
    this.window = window;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CACHE_ENTRIES;
      }
    };
  }

  public synchronized boolean record(Resource involved, String type, String reason, String message) {
    Instant now = clock.instant();
    String object = String.join("\u0000", involved.apiVersion(), involved.kind(), involved.namespace(),
        involved.name(), String.valueOf(involved.uid()));
    if (!allow(component + "\u0000" + object, now)) {
      LOG.debug("event {} on {} dropped by the spam filter", reason, involved);
      return false;
    }
    String cut = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    // Aggregation: after maxSimilar distinct messages of one object, type and reason in the window, combine.
    String aggregate = object + "\u0000" + type + "\u0000" + reason;
    Similar s = similar.get(aggregate);
    if (s == null || Duration.between(s.last, now).compareTo(window) > 0) {
      s = new Similar(now);
      similar.put(aggregate, s);
    }
    s.messages.add(cut);
    s.last = now;
    String key;
    if (s.messages.size() >= maxSimilar) {
      s.messages.remove(cut); // the set stops growing at maxSimilar, as client-go's
      cut = COMBINED + cut;
      if (cut.length() > MAX_MESSAGE) {
        cut = cut.substring(0, MAX_MESSAGE - 3) + "...";
      }
      key = aggregate + "\u0000" + COMBINED;
    } else {
      key = aggregate + "\u0000" + cut;
    }
    return write(key, involved, type, reason, cut, now);
  }

  /** The token bucket of {@code key}: true when a token was taken. */
  private boolean allow(String key, Instant now) {
    Bucket b = spam.get(key);
    if (b == null) {
      b = new Bucket(burst, now);
      spam.put(key, b);
    }
    double refilled = (double) Duration.between(b.at, now).toNanos() / refill.toNanos();
    if (refilled > 0) {
      b.tokens = Math.min(burst, b.tokens + refilled);
      b.at = now;
    }
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  private boolean write(String key, Resource involved, String type, String reason, String message, Instant now) {
    String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    Resource before = written.get(key);
    if (before != null) {
      long count = before.at("/count").asLong(1) + 1;
      Resource next = before.edit(t -> {
        t.put("count", count);
        t.put("lastTimestamp", stamp);
        t.put("message", message);
      });
      try {
        written.put(key, cluster.update(next));
        return true;
      } catch (ClusterException e) {
        // gone (expired by the API server) or changed: a new Event carries on, as client-go's recorder does
        LOG.debug("event {} could not be updated ({}); recording a new one", before.name(), e.getMessage());
        written.remove(key);
      }
    }
    Resource event = event(involved, type, reason, message, stamp, now);
    try {
      written.put(key, cluster.create(event));
      return true;
    } catch (ClusterException | IllegalArgumentException e) {
      LOG.warn("event {} on {} could not be recorded on cluster {}: {}", reason, involved, cluster.name(),
          e.getMessage());
      return false;
    }
  }

  private Resource event(Resource involved, String type, String reason, String message, String stamp, Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastNanos = Math.max(lastNanos + 1, nanos); // unique names even when the clock stands still
    ObjectNode e = Json.object();
    e.put("apiVersion", "v1");
    e.put("kind", "Event");
    ObjectNode metadata = e.putObject("metadata");
    metadata.put("name", involved.name() + "." + Long.toHexString(lastNanos));
    metadata.put("namespace", involved.namespace().isEmpty() ? "default" : involved.namespace());
    ObjectNode ref = e.putObject("involvedObject");
    ref.put("apiVersion", involved.apiVersion());
    ref.put("kind", involved.kind());
    if (!involved.namespace().isEmpty()) {
      ref.put("namespace", involved.namespace());
    }
    ref.put("name", involved.name());
    putIfPresent(ref, "uid", involved.uid());
    putIfPresent(ref, "resourceVersion", involved.resourceVersion());
    e.put("reason", reason);
    e.put("message", message);
    e.putObject("source").put("component", component);
    e.put("firstTimestamp", stamp);
    e.put("lastTimestamp", stamp);
    e.put("count", 1);
    e.put("type", type);
    e.put("reportingComponent", component);
    e.put("reportingInstance", "");
    return Resource.of(e);
  }

  private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }
}
