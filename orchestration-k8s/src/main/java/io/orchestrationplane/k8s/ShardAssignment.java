package io.orchestrationplane.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where applications and shards go, as pure functions every replica computes alike.
 *
 * <ul>
 *   <li>{@link #shardOf(String, int)}: an application key to one of {@code shards} shards by jump
 *       consistent hashing (Lamping and Veach) of a SHA-256 digest of the key, so going from S to
 *       S+1 shards moves about 1/(S+1) of the applications, and only into the new shard.
 *   <li>{@link #owners(int, Collection)}: shards to replicas by rendezvous (highest random weight)
 *       hashing with bounded loads: every replica gets ⌊S/N⌋ or ⌈S/N⌉ shards, and each shard goes to
 *       the first replica of its own preference order that has room, strongest preferences first.
 *       A replica joining takes about 1/(N+1) of the shards (mostly those it ranks first for), a
 *       replica leaving gives up its own shards and few others move.
 * </ul>
 *
 * <p>Both are deterministic: the same inputs give the same answer in every JVM.
 */
public final class ShardAssignment {
  /** The most shards a plane may be split into. */
  public static final int MAX_SHARDS = 4096;

  private ShardAssignment() {}

  /** The shard (0 ≤ shard &lt; {@code shards}) of the application {@code key} ({@code <namespace>.<name>}). */
  public static int shardOf(String key, int shards) {
    checkShards(shards);
    return jump(digest(key), shards);
  }

  /**
   * Which replica owns each shard, for the live {@code replicas} (identities, in any order).
   * Every shard gets an owner when there is at least one replica; the map is empty otherwise.
   */
  public static Map<Integer, String> owners(int shards, Collection<String> replicas) {
    checkShards(shards);
    List<String> members = new ArrayList<>(new TreeSet<>(replicas));
    Map<Integer, String> owners = new TreeMap<>();
    if (members.isEmpty()) {
      return owners;
    }
    int n = members.size();
    int floor = shards / n;
    int extra = shards % n; // how many replicas may hold floor + 1
    // Each shard's replicas by weight, strongest first.
    List<List<Preference>> ranked = new ArrayList<>(shards);
    for (int shard = 0; shard < shards; shard++) {
      List<Preference> prefs = new ArrayList<>(n);
      for (String member : members) {
        prefs.add(new Preference(shard, member, digest(member + "/" + shard)));
      }
      prefs.sort(Comparator.comparingLong(Preference::weight).reversed().thenComparing(Preference::replica));
      ranked.add(prefs);
    }
    Map<String, Integer> load = new HashMap<>();
    int atCeiling = 0;
    // Round r offers every unplaced shard its r-th choice, the strongest weights first, so a shard
    // is moved off its first choice only when that replica is full of shards preferring it more.
    for (int round = 0; round < n && owners.size() < shards; round++) {
      List<Preference> offers = new ArrayList<>();
      for (int shard = 0; shard < shards; shard++) {
        if (!owners.containsKey(shard)) {
          offers.add(ranked.get(shard).get(round));
        }
      }
      offers.sort(Comparator.comparingLong(Preference::weight).reversed().thenComparingInt(Preference::shard));
      for (Preference offer : offers) {
        int held = load.getOrDefault(offer.replica(), 0);
        boolean room = held < floor || (held == floor && atCeiling < extra);
        if (room) {
          if (held == floor) {
            atCeiling++;
          }
          owners.put(offer.shard(), offer.replica());
          load.put(offer.replica(), held + 1);
        }
      }
    }
    return owners;
  }

  /** The shards {@code replica} owns among the live {@code replicas} ({@link #owners}). */
  public static Set<Integer> shardsOf(String replica, int shards, Collection<String> replicas) {
    Set<Integer> mine = new TreeSet<>();
    owners(shards, replicas).forEach((shard, owner) -> {
      if (owner.equals(replica)) {
        mine.add(shard);
      }
    });
    return mine;
  }

  private record Preference(int shard, String replica, long weight) {}

  static void checkShards(int shards) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException("shards must be between 1 and " + MAX_SHARDS + ", got " + shards);
    }
  }

  /** Jump consistent hash: a 64-bit key into [0, buckets). */
  private static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }

  private static long digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
