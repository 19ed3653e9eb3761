package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.IntBinaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lease protocol behind {@code Sharding}: one {@code coordination.k8s.io/v1} Lease per shard
 * ({@code <name>-shard-<i>}), one heartbeat Lease per replica ({@code <name>-member-<identity>}),
 * and the shard count in the ConfigMap {@code <name>-sharding}. {@link #tick()} runs one round
 * (read the count, heartbeat, list, release, renew, acquire); {@link #owns(int, int)} answers at
 * call time from what the last rounds established and the clock, so a replica that stops
 * renewing stops owning after the renew deadline even if no round runs.
 *
 * <p>Expiry follows client-go's leader election: a Lease held by another is free once this
 * replica has seen the same record (holder and resourceVersion) unchanged for the Lease's
 * {@code leaseDurationSeconds} on its own clock, so skew between replicas' clocks does not
 * matter, only their rates. Writes are a create (fails if the Lease exists) or an update carrying
 * the resourceVersion read (fails on any interleaved write).
 *
 * <p>Thread-safe: rounds are serialised; {@link #owns} may be called from any thread.
 */
public final class ShardLeases {
  private static final Logger LOG = LoggerFactory.getLogger(ShardLeases.class);
  /** Label on every Lease of one sharding, with its name. */
  public static final String SHARDING_LABEL = "orchestrationplane.io/sharding";
  /** Label saying whether a Lease is a shard's or a member's heartbeat. */
  public static final String ROLE_LABEL = "orchestrationplane.io/lease-role";
  /** Label with a shard Lease's index. */
  public static final String SHARD_LABEL = "orchestrationplane.io/shard";
  /** Annotation with the shard count under which a shard Lease was acquired. */
  public static final String COUNT_ANNOTATION = "orchestrationplane.io/shard-count";
  /** Key of the shard count in the ConfigMap. */
  public static final String SHARDS_KEY = "shards";

  /** What a round changed, for the caller's events. */
  public sealed interface Change {
    /** Shard {@code shard} of {@code shards} acquired with Lease epoch {@code transitions}. */
    record Acquired(int shard, int shards, int transitions) implements Change {}

    /** Shard released after its work stopped. */
    record Released(int shard, int shards) implements Change {}

    /** Shard lost: not renewed within the renew deadline, or taken by another. */
    record Lost(int shard, int shards) implements Change {}

    /** The shard count changed. */
    record CountChanged(int from, int to) implements Change {}
  }

  /** A shard Lease this replica holds. */
  private static final class Held {
    final int shard;
    final int shards;
    final int transitions;
    String resourceVersion;
    Instant renewedAt;
    /** Fenced: no write is permitted for it any more; released once its work stopped. */
    volatile boolean releasing;

    Held(int shard, int shards, int transitions, String resourceVersion, Instant renewedAt) {
      this.shard = shard;
      this.shards = shards;
      this.transitions = transitions;
      this.resourceVersion = resourceVersion;
      this.renewedAt = renewedAt;
    }
  }

  /** When this replica first saw a Lease's current record. */
  private record Observation(String resourceVersion, Instant since) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final int initialShards;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Clock clock;
  private final Map<Integer, Held> held = new ConcurrentHashMap<>();
  private final Map<String, Observation> observed = new HashMap<>();
  private volatile int shards;
  private volatile Set<String> members = Set.of();
  private @Nullable String memberVersion;

  public ShardLeases(KubernetesClient client, String namespace, String name, String identity, int initialShards,
      Duration leaseDuration, Duration renewDeadline, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.initialShards = initialShards;
    this.shards = initialShards;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
    this.clock = clock;
  }

  /** The shard count this replica works with (read from the ConfigMap at each round). */
  public int shards() {
    return shards;
  }

  /** The replicas whose heartbeat Lease was live at the last round, this one included. */
  public Set<String> members() {
    return members;
  }

  /**
   * True when this replica may write for shard {@code shard} of {@code shardCount} now: it holds
   * the shard's Lease under the current count, has not fenced it for release, and renewed it less
   * than the renew deadline ago by its clock.
   */
  public boolean owns(int shard, int shardCount) {
    Held h = held.get(shard);
    return h != null && !h.releasing && h.shards == shardCount && shardCount == shards
        && clock.instant().isBefore(h.renewedAt.plus(renewDeadline));
  }

  /** The Lease epoch ({@code leaseTransitions}) under which this replica owns the shard, when it does. */
  public Optional<Integer> epoch(int shard, int shardCount) {
    Held h = held.get(shard);
    return h != null && owns(shard, shardCount) ? Optional.of(h.transitions) : Optional.empty();
  }

  /** The shards this replica owns now (see {@link #owns}). */
  public Set<Integer> owned() {
    int s = shards;
    Set<Integer> out = new TreeSet<>();
    held.keySet().forEach(i -> {
      if (owns(i, s)) {
        out.add(i);
      }
    });
    return out;
  }

  /**
   * One round. {@code desired} computes this replica's shards from (count, live members);
   * {@code busy} tells whether work of a shard (index, count) is still in progress, which holds
   * its release back. Returns what changed.
   */
  public synchronized List<Change> tick(BiFunction<Integer, Set<String>, Set<Integer>> desired,
      IntBinaryOperator busy) {
    java.util.ArrayList<Change> changes = new java.util.ArrayList<>();
    Instant now = clock.instant();
    int count = readShardCount();
    if (count != shards) {
      changes.add(new Change.CountChanged(shards, count));
      LOG.info("{}: shard count of {}/{} changed from {} to {}", identity, namespace, name, shards, count);
      shards = count; // held leases of the old count stop permitting writes at once
    }
    heartbeat(now);
    List<Lease> leases;
    try {
      leases = client.leases().inNamespace(namespace).withLabel(SHARDING_LABEL, name).list().getItems();
    } catch (KubernetesClientException e) {
      LOG.warn("{}: listing the Leases of {}/{} failed: {}", identity, namespace, name, e.getMessage());
      renewAll(now, Map.of(), changes); // still try to keep what is held, and drop what is too old
      return changes;
    }
    Map<Integer, Lease> shardLeases = new TreeMap<>();
    Set<String> live = new TreeSet<>();
    live.add(identity);
    Set<String> seen = new HashSet<>();
    for (Lease lease : leases) {
      String leaseName = lease.getMetadata().getName();
      seen.add(leaseName);
      boolean free = free(lease, now);
      Map<String, String> labels = Optional.ofNullable(lease.getMetadata().getLabels()).orElse(Map.of());
      if ("member".equals(labels.get(ROLE_LABEL))) {
        if (!free) {
          live.add(lease.getSpec().getHolderIdentity());
        }
      } else if ("shard".equals(labels.get(ROLE_LABEL)) && labels.get(SHARD_LABEL) != null) {
        try {
          shardLeases.put(Integer.parseInt(labels.get(SHARD_LABEL)), lease);
        } catch (NumberFormatException e) {
          LOG.warn("{}: Lease {}/{} has a bad {} label; ignored", identity, namespace, leaseName, SHARD_LABEL);
        }
      }
    }
    observed.keySet().retainAll(seen);
    members = Set.copyOf(live);
    Set<Integer> mine = desired.apply(count, members);
    // Fence first: a shard of another count, or no longer assigned here, permits no write from now on.
    for (Held h : held.values()) {
      if (h.shards != count || !mine.contains(h.shard)) {
        h.releasing = true;
      }
    }
    for (Held h : List.copyOf(held.values())) {
      if (h.releasing && busy.applyAsInt(h.shard, h.shards) == 0) {
        release(h, now);
        held.remove(h.shard);
        changes.add(new Change.Released(h.shard, h.shards));
      }
    }
    renewAll(now, shardLeases, changes);
    // Acquire only while no live Lease of another count is held by anyone: replicas that still
    // work with the old count keep their shards until they see the new one and release them.
    boolean transition = shardLeases.values().stream().anyMatch(l -> !free(l, now) && countOf(l) != count);
    if (transition) {
      return changes;
    }
    List<Held> acquired = new java.util.ArrayList<>();
    for (int shard : mine) {
      if (held.containsKey(shard)) {
        continue;
      }
      Lease lease = shardLeases.get(shard);
      if (lease != null && !free(lease, now)) {
        continue; // its holder releases it once it sees the new assignment, or it expires
      }
      Held h = acquire(shard, count, lease, now);
      if (h != null) {
        acquired.add(h);
      }
    }
    if (acquired.isEmpty()) {
      return changes;
    }
    // The count may have changed since this round read it, and a replica on the new count may
    // have checked for Leases of the old one before these were written: read it again, after
    // the writes, and give the shards back unused if it changed (they never permitted a write).
    int again = readShardCount();
    for (Held h : acquired) {
      if (again == count) {
        held.put(h.shard, h);
        changes.add(new Change.Acquired(h.shard, count, h.transitions));
      } else {
        release(h, now);
      }
    }
    if (again != count) {
      changes.add(new Change.CountChanged(count, again));
      shards = again;
    }
    return changes;
  }

  /** Fences every shard and releases those whose work stopped; releases the heartbeat. */
  public synchronized List<Change> releaseAll(IntBinaryOperator busy) {
    List<Change> changes = new java.util.ArrayList<>();
    Instant now = clock.instant();
    held.values().forEach(h -> h.releasing = true);
    for (Held h : List.copyOf(held.values())) {
      if (busy.applyAsInt(h.shard, h.shards) == 0) {
        release(h, now);
        changes.add(new Change.Released(h.shard, h.shards));
      } else {
        LOG.warn("{}: shard {} of {}/{} still has work in progress; its Lease is left to expire", identity, h.shard,
            namespace, name);
      }
    }
    held.clear();
    try {
      Lease member = client.leases().inNamespace(namespace).withName(memberLease()).get();
      if (member != null && identity.equals(member.getSpec().getHolderIdentity())) {
        member.getSpec().setHolderIdentity(null);
        member.getSpec().setLeaseDurationSeconds(1);
        client.leases().inNamespace(namespace).resource(member).update();
      }
    } catch (KubernetesClientException e) {
      LOG.warn("{}: releasing the heartbeat Lease failed; it expires instead: {}", identity, e.getMessage());
    }
    return changes;
  }

  /** Writes a new shard count to the ConfigMap (conflicts are retried on a fresh read). */
  public void changeShardCount(int count) {
    for (int attempt = 0; ; attempt++) {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMap()).get();
      try {
        if (cm == null) {
          client.configMaps().inNamespace(namespace).resource(config(count)).create();
        } else {
          Map<String, String> data = new HashMap<>(Optional.ofNullable(cm.getData()).orElse(Map.of()));
          data.put(SHARDS_KEY, Integer.toString(count));
          cm.setData(data);
          client.configMaps().inNamespace(namespace).resource(cm).update();
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 4) {
          throw e;
        }
      }
    }
  }

  private int readShardCount() {
    try {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMap()).get();
      if (cm == null) {
        try {
          client.configMaps().inNamespace(namespace).resource(config(initialShards)).create();
          return initialShards;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          cm = client.configMaps().inNamespace(namespace).withName(configMap()).get();
          if (cm == null) {
            return shards;
          }
        }
      }
      String value = Optional.ofNullable(cm.getData()).map(d -> d.get(SHARDS_KEY)).orElse(null);
      try {
        int count = Integer.parseInt(Objects.requireNonNull(value, "missing"));
        if (count >= 1 && count <= 4096) {
          return count;
        }
      } catch (RuntimeException bad) {
        // reported below
      }
      LOG.warn("{}: ConfigMap {}/{} data.{} must be a whole number from 1 to 4096, is {}; keeping {} shards",
          identity, namespace, configMap(), SHARDS_KEY, value, shards);
      return shards;
    } catch (KubernetesClientException e) {
      LOG.warn("{}: reading the shard count from {}/{} failed; keeping {}: {}", identity, namespace, configMap(),
          shards, e.getMessage());
      return shards;
    }
  }

  private ConfigMap config(int count) {
    return new ConfigMapBuilder().withNewMetadata().withName(configMap()).withNamespace(namespace)
        .addToLabels(SHARDING_LABEL, name).endMetadata()
        .addToData(SHARDS_KEY, Integer.toString(count)).build();
  }

  private void heartbeat(Instant now) {
    String leaseName = memberLease();
    try {
      if (memberVersion != null) {
        Lease renewed = client.leases().inNamespace(namespace).resource(lease(leaseName, "member", null, 0,
            now, now, memberVersion)).update();
        memberVersion = renewed.getMetadata().getResourceVersion();
        return;
      }
    } catch (KubernetesClientException e) {
      memberVersion = null; // read it again below
    }
    try {
      Lease current = client.leases().inNamespace(namespace).withName(leaseName).get();
      Lease written = current == null
          ? client.leases().inNamespace(namespace).resource(lease(leaseName, "member", null, 0, now, now, null)).create()
          : client.leases().inNamespace(namespace).resource(lease(leaseName, "member", null, 0, now, now,
              current.getMetadata().getResourceVersion())).update();
      memberVersion = written.getMetadata().getResourceVersion();
    } catch (KubernetesClientException e) {
      LOG.warn("{}: renewing the heartbeat Lease {}/{} failed: {}", identity, namespace, leaseName, e.getMessage());
    }
  }

  private void renewAll(Instant now, Map<Integer, Lease> listed, List<Change> changes) {
    for (Held h : List.copyOf(held.values())) {
      try {
        Lease renewed = client.leases().inNamespace(namespace).resource(lease(shardLease(h.shard), "shard", h.shards,
            h.transitions, acquireTimeOf(listed.get(h.shard), now), now, h.resourceVersion)).update();
        h.resourceVersion = renewed.getMetadata().getResourceVersion();
        h.renewedAt = now;
        continue;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          Lease current = listed.get(h.shard);
          if (current != null && !identity.equals(current.getSpec().getHolderIdentity())) {
            lose(h, changes, "held by " + current.getSpec().getHolderIdentity());
            continue;
          }
          if (current != null) {
            h.resourceVersion = current.getMetadata().getResourceVersion(); // retried at the next round
          }
        }
        LOG.warn("{}: renewing shard {} of {}/{} failed: {}", identity, h.shard, namespace, name, e.getMessage());
      }
      if (!now.isBefore(h.renewedAt.plus(renewDeadline))) {
        lose(h, changes, "not renewed within " + renewDeadline);
      }
    }
  }

  private void lose(Held h, List<Change> changes, String why) {
    held.remove(h.shard);
    changes.add(new Change.Lost(h.shard, h.shards));
    LOG.warn("{}: lost shard {} of {}/{}: {}", identity, h.shard, namespace, name, why);
  }

  private @Nullable Held acquire(int shard, int count, @Nullable Lease current, Instant now) {
    String leaseName = shardLease(shard);
    try {
      Lease written;
      if (current == null) {
        written = client.leases().inNamespace(namespace).resource(lease(leaseName, "shard", count, 0, now, now, null))
            .create();
      } else {
        int transitions = Optional.ofNullable(current.getSpec().getLeaseTransitions()).orElse(0) + 1;
        written = client.leases().inNamespace(namespace).resource(lease(leaseName, "shard", count, transitions, now,
            now, current.getMetadata().getResourceVersion())).update();
      }
      LOG.info("{}: acquired shard {} of {} ({}/{})", identity, shard, count, namespace, leaseName);
      return new Held(shard, count, Optional.ofNullable(written.getSpec().getLeaseTransitions()).orElse(0),
          written.getMetadata().getResourceVersion(), now);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        LOG.warn("{}: acquiring shard {} of {}/{} failed: {}", identity, shard, namespace, name, e.getMessage());
      }
      return null; // 409: another replica wrote it first
    }
  }

  private void release(Held h, Instant now) {
    try {
      Lease current = client.leases().inNamespace(namespace).withName(shardLease(h.shard)).get();
      if (current == null || !identity.equals(current.getSpec().getHolderIdentity())
          || !Objects.equals(current.getMetadata().getResourceVersion(), h.resourceVersion)) {
        return; // not ours any more, or written since: leave it alone
      }
      current.getSpec().setHolderIdentity(null);
      current.getSpec().setLeaseDurationSeconds(1);
      current.getSpec().setRenewTime(micro(now));
      client.leases().inNamespace(namespace).resource(current).update();
      LOG.info("{}: released shard {} of {} ({}/{})", identity, h.shard, h.shards, namespace, shardLease(h.shard));
    } catch (KubernetesClientException e) {
      LOG.warn("{}: releasing shard {} of {}/{} failed; it expires instead: {}", identity, h.shard, namespace, name,
          e.getMessage());
    }
  }

  /** True when nobody holds the Lease, or this replica has seen it unchanged for its whole duration. */
  private boolean free(Lease lease, Instant now) {
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    String key = lease.getMetadata().getName();
    String version = lease.getMetadata().getResourceVersion();
    Observation o = observed.get(key);
    if (o == null || !o.resourceVersion().equals(version)) {
      o = new Observation(Objects.toString(version, ""), now);
      observed.put(key, o);
    }
    if (holder == null || holder.isEmpty()) {
      return true;
    }
    if (holder.equals(identity) && held.containsKey(shardIndex(lease))) {
      return false;
    }
    int seconds = Optional.ofNullable(lease.getSpec().getLeaseDurationSeconds()).orElse(1);
    return !now.isBefore(o.since().plusSeconds(seconds));
  }

  private static int shardIndex(Lease lease) {
    String value = Optional.ofNullable(lease.getMetadata().getLabels()).map(l -> l.get(SHARD_LABEL)).orElse(null);
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int countOf(Lease lease) {
    String value = Optional.ofNullable(lease.getMetadata().getAnnotations()).map(a -> a.get(COUNT_ANNOTATION))
        .orElse(null);
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ZonedDateTime acquireTimeOf(@Nullable Lease lease, Instant otherwise) {
    return lease != null && lease.getSpec().getAcquireTime() != null ? lease.getSpec().getAcquireTime()
        : micro(otherwise);
  }

  private Lease lease(String leaseName, String role, @Nullable Integer count, int transitions, Object acquired,
      Instant renewed, @Nullable String resourceVersion) {
    ZonedDateTime acquireTime = acquired instanceof ZonedDateTime z ? z : micro((Instant) acquired);
    LeaseBuilder b = new LeaseBuilder().withNewMetadata().withName(leaseName).withNamespace(namespace)
        .withResourceVersion(resourceVersion)
        .addToLabels(SHARDING_LABEL, name).addToLabels(ROLE_LABEL, role).endMetadata();
    if (count != null) {
      b.editMetadata().addToLabels(SHARD_LABEL, leaseName.substring(leaseName.lastIndexOf('-') + 1))
          .addToAnnotations(COUNT_ANNOTATION, Integer.toString(count)).endMetadata();
    }
    return b.withNewSpec().withHolderIdentity(identity)
        .withLeaseDurationSeconds((int) Math.max(1, leaseDuration.toSeconds()))
        .withAcquireTime(acquireTime).withRenewTime(micro(renewed))
        .withLeaseTransitions(transitions).endSpec().build();
  }

  private static ZonedDateTime micro(Instant t) {
    return ZonedDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private String shardLease(int shard) {
    return name + "-shard-" + shard;
  }

  private String memberLease() {
    return name + "-member-" + identity;
  }

  private String configMap() {
    return name + "-sharding";
  }

  /** For messages: the Lease names of this sharding. */
  public String describe(int shard) {
    return "Lease " + namespace + "/" + shardLease(shard);
  }
}
