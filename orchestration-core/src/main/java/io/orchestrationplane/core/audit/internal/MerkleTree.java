package io.orchestrationplane.core.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle Tree Hash of RFC 6962 §2.1 over SHA-256: a leaf is {@code SHA-256(0x00 || data)},
 * an interior node {@code SHA-256(0x01 || left || right)}, and a tree of {@code n > 1} leaves
 * splits at {@code k}, the largest power of two smaller than {@code n}. Holds the leaf hashes
 * appended so far (32 bytes each) and the right frontier of complete subtrees, so that the root
 * of the current size costs O(log n); roots of earlier sizes and consistency proofs (§2.1.2) are
 * computed from the leaves. Not thread-safe: the audit log guards it.
 */
public final class MerkleTree {
  public static final int HASH_BYTES = 32;

  private byte[] leaves = new byte[HASH_BYTES * 1024];
  private int size;
  /** Complete subtrees covering the leaves so far, largest (leftmost) first: one per set bit of {@link #size}. */
  private final List<byte[]> frontier = new ArrayList<>();
  /** The SHA-256 of {@link #append}'s merges, kept rather than looked up per node. */
  private final MessageDigest merges = sha256();

  public int size() {
    return size;
  }

  /** Appends a leaf by its leaf hash. */
  public void append(byte[] leafHash) {
    if (leafHash.length != HASH_BYTES) {
      throw new IllegalArgumentException("a leaf hash has 32 bytes, not " + leafHash.length);
    }
    if ((size + 1L) * HASH_BYTES > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the audit tree holds at most " + (Integer.MAX_VALUE / HASH_BYTES) + " leaves");
    }
    if ((size + 1) * HASH_BYTES > leaves.length) {
      leaves = Arrays.copyOf(leaves, (int) Math.min(Integer.MAX_VALUE - 8L, leaves.length * 2L));
    }
    System.arraycopy(leafHash, 0, leaves, size * HASH_BYTES, HASH_BYTES);
    size++;
    // Merge equal-sized subtrees like a binary counter: one merge per trailing one bit of the old size.
    byte[] carry = leafHash;
    for (int bits = size - 1; (bits & 1) == 1; bits >>= 1) {
      carry = nodeHash(merges, frontier.remove(frontier.size() - 1), carry);
    }
    frontier.add(carry);
  }

  /** The leaf hash at {@code index}. */
  public byte[] leaf(int index) {
    return Arrays.copyOfRange(leaves, index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /** MTH of every leaf so far. */
  public byte[] root() {
    if (size == 0) {
      return sha256().digest();
    }
    byte[] h = frontier.get(frontier.size() - 1);
    for (int i = frontier.size() - 2; i >= 0; i--) {
      h = nodeHash(frontier.get(i), h);
    }
    return h;
  }

  /** MTH of the first {@code n} leaves. */
  public byte[] root(int n) {
    check(n <= size && n >= 0, "tree size " + n + " is not between 0 and " + size);
    return n == size ? root() : hash(0, n);
  }

  /** MTH(D[from:to]). */
  private byte[] hash(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return sha256().digest();
    }
    if (n == 1) {
      return leaf(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(hash(from, from + k), hash(from + k, to));
  }

  /** PROOF(m, D[n]) of RFC 6962 §2.1.2, for {@code 0 < m <= n <= size}; empty when {@code m == n}. */
  public List<byte[]> consistencyProof(int m, int n) {
    check(n <= size, "tree size " + n + " exceeds the " + size + " records held");
    check(m > 0 && m <= n, "a consistency proof needs 0 < m <= n, was m=" + m + ", n=" + n);
    List<byte[]> proof = new ArrayList<>();
    subproof(m, 0, n, true, proof);
    return proof;
  }

  // SUBPROOF(m, D[from:to], b)
  private void subproof(int m, int from, int to, boolean complete, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!complete) {
        out.add(hash(from, to));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, from, from + k, complete, out);
      out.add(hash(from + k, to));
    } else {
      subproof(m - k, from + k, to, false, out);
      out.add(hash(from, from + k));
    }
  }

  /**
   * Verifies that a tree of {@code m} leaves with root {@code oldRoot} is a prefix of the tree of
   * {@code n} leaves with root {@code newRoot}, given {@code proof} (RFC 9162 §2.1.4.2, the
   * verification of RFC 6962's proofs).
   */
  public static boolean verifyConsistency(long m, long n, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
    if (m < 0 || m > n || oldRoot.length != HASH_BYTES || newRoot.length != HASH_BYTES) {
      return false;
    }
    for (byte[] p : proof) {
      if (p.length != HASH_BYTES) {
        return false;
      }
    }
    if (m == n) {
      return proof.isEmpty() && MessageDigest.isEqual(oldRoot, newRoot);
    }
    if (m == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(m) == 1) { // m a power of two: the old root is the first node of the path
      path.add(0, oldRoot);
    }
    long fn = m - 1;
    long sn = n - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, oldRoot) && MessageDigest.isEqual(sr, newRoot);
  }

  static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  /** SHA-256(0x00 || data). */
  public static byte[] leafHash(byte[] data) {
    MessageDigest d = sha256();
    d.update((byte) 0x00);
    return d.digest(data);
  }

  /** {@link #leafHash(byte[])} with {@code digest}, a SHA-256 the caller owns (reset by the call). */
  public static byte[] leafHash(MessageDigest digest, byte[] data) {
    digest.reset();
    digest.update((byte) 0x00);
    return digest.digest(data);
  }

  /** {@link #leafHash(MessageDigest, byte[])} of {@code length} bytes of {@code data} from {@code offset}. */
  public static byte[] leafHash(MessageDigest digest, byte[] data, int offset, int length) {
    digest.reset();
    digest.update((byte) 0x00);
    digest.update(data, offset, length);
    return digest.digest();
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    return d.digest(right);
  }

  /** {@link #nodeHash(byte[], byte[])} with {@code digest}, a SHA-256 the caller owns (reset by the call). */
  static byte[] nodeHash(MessageDigest digest, byte[] left, byte[] right) {
    digest.reset();
    digest.update((byte) 0x01);
    digest.update(left);
    return digest.digest(right);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
