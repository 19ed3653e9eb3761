package io.orchestrationplane.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.audit.internal.MerkleTree;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Merkle tree against RFC 6962: the Certificate Transparency reference roots, and
 * consistency proofs compared with the RFC's PROOF/SUBPROOF written out directly over leaf data,
 * for every pair of sizes up to 40 (powers of two and not).
 */
class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();
  static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"};
  static final String[] CT_ROOTS = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

  static MerkleTree ctTree() {
    MerkleTree t = new MerkleTree();
    for (String leaf : CT_LEAVES) {
      t.append(MerkleTree.leafHash(HEX.parseHex(leaf)));
    }
    return t;
  }

  @Test
  void rootsAreTheCertificateTransparencyReferenceRootsAtEverySize() {
    MerkleTree grown = new MerkleTree();
    assertThat(HEX.formatHex(grown.root())).isEqualTo(CT_ROOTS[0]);
    for (int n = 1; n <= CT_LEAVES.length; n++) {
      grown.append(MerkleTree.leafHash(HEX.parseHex(CT_LEAVES[n - 1])));
      assertThat(HEX.formatHex(grown.root())).as("root of the first %d leaves, grown", n).isEqualTo(CT_ROOTS[n]);
    }
    MerkleTree full = ctTree();
    for (int n = 0; n <= CT_LEAVES.length; n++) {
      assertThat(HEX.formatHex(full.root(n))).as("root of the first %d leaves, from the full tree", n)
          .isEqualTo(CT_ROOTS[n]);
    }
  }

  @Test
  void consistencyProofsMatchPublishedOnes() {
    MerkleTree t = ctTree();
    assertThat(t.consistencyProof(1, 8).stream().map(HEX::formatHex).toList()).containsExactly(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(t.consistencyProof(2, 5).stream().map(HEX::formatHex).toList()).containsExactly(
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    assertThat(t.consistencyProof(8, 8)).isEmpty();
  }

  // ---- RFC 6962 §2.1 and §2.1.2, written out over the leaf data as the RFC states them

  static byte[] mth(List<byte[]> d) {
    if (d.isEmpty()) {
      return sha(new byte[0]);
    }
    if (d.size() == 1) {
      return sha(concat(new byte[] {0}, d.get(0)));
    }
    int k = 1;
    while (k * 2 < d.size()) {
      k *= 2;
    }
    return sha(concat(new byte[] {1}, concat(mth(d.subList(0, k)), mth(d.subList(k, d.size())))));
  }

  static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  @Test
  void consistencyProofsAreTheRfcsForEveryPairOfSizesAndVerify() {
    List<byte[]> data = new ArrayList<>();
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 40; i++) {
      byte[] leaf = ("record-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      data.add(leaf);
      tree.append(MerkleTree.leafHash(leaf));
    }
    for (int n = 1; n <= 40; n++) {
      byte[] newRoot = mth(data.subList(0, n));
      assertThat(tree.root(n)).as("root %d", n).isEqualTo(newRoot);
      for (int m = 1; m <= n; m++) {
        List<byte[]> expected = proof(m, data.subList(0, n));
        List<byte[]> actual = tree.consistencyProof(m, n);
        assertThat(actual).as("PROOF(%d, D[%d])", m, n).usingElementComparator(MerkleTreeTest::compare)
            .containsExactlyElementsOf(expected);
        byte[] oldRoot = mth(data.subList(0, m));
        assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, actual)).as("%d -> %d verifies", m, n).isTrue();
        if (m < n) {
          assertThat(MerkleTree.verifyConsistency(m, n, newRoot, newRoot, actual)).as("wrong old root").isFalse();
          List<byte[]> flipped = new ArrayList<>(actual);
          byte[] first = flipped.get(0).clone();
          first[3] ^= 1;
          flipped.set(0, first);
          assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, flipped)).as("flipped bit").isFalse();
          assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, actual.subList(0, actual.size() - 1)))
              .as("truncated").isFalse();
          List<byte[]> extended = new ArrayList<>(actual);
          extended.add(new byte[32]);
          assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, extended)).as("extended").isFalse();
        }
      }
    }
  }

  private static int compare(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b) ? 0 : 1;
  }

  private static byte[] sha(byte[] in) {
    return MerkleTree.sha256().digest(in);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
