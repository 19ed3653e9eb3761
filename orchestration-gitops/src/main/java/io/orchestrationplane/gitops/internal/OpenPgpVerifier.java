package io.orchestrationplane.gitops.internal;

import io.orchestrationplane.gitops.Verification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the OpenPGP signature of a commit ({@code gpgsig} header, as {@code git commit -S}
 * writes it) against a fixed set of trusted public keys with BouncyCastle's lightweight API: no
 * JCA provider is registered and no keyring of the user's is read, so two sources in one JVM
 * can trust different keys. Immutable and thread-safe.
 */
public final class OpenPgpVerifier {
  private static final byte[] GPGSIG = "gpgsig".getBytes(StandardCharsets.US_ASCII);
  private final List<PGPPublicKeyRing> rings;

  private OpenPgpVerifier(List<PGPPublicKeyRing> rings) {
    this.rings = List.copyOf(rings);
  }

  public static OpenPgpVerifier of(List<String> blocks) {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String block = blocks.get(i);
      if (block == null || block.isBlank()) {
        throw new IllegalArgumentException("trusted key " + (i + 1) + " is empty");
      }
      int before = rings.size();
      try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8)))) {
        BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
        Object o;
        while ((o = factory.nextObject()) != null) {
          if (o instanceof PGPPublicKeyRing ring) {
            rings.add(ring);
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("trusted key " + (i + 1) + " is not an OpenPGP public key block ("
            + e.getClass().getSimpleName() + ")");
      }
      if (rings.size() == before) {
        throw new IllegalArgumentException("trusted key " + (i + 1) + " holds no OpenPGP public key");
      }
    }
    return new OpenPgpVerifier(rings);
  }

  public List<String> fingerprints() {
    List<String> out = new ArrayList<>();
    for (PGPPublicKeyRing r : rings) {
      out.add(hex(r.getPublicKey().getFingerprint()));
    }
    return out;
  }

  /** Accepts the commit only when a trusted key made its OpenPGP signature over its content. */
  public Verification verify(RevCommit commit) {
    String id = commit.name().substring(0, 7);
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      return new Verification.Refused("commit " + id + " is not signed; only commits signed by a trusted key are applied");
    }
    PGPSignature sig;
    try {
      sig = parse(signature);
    } catch (IOException | PGPException | RuntimeException e) {
      return new Verification.Refused("commit " + id + " has an unreadable OpenPGP signature");
    }
    if (sig == null) {
      return new Verification.Refused("commit " + id + " has an unreadable OpenPGP signature");
    }
    PGPPublicKey key = find(sig);
    if (key == null) {
      return new Verification.Refused("commit " + id + " is signed by key " + issuer(sig) + ", which is not trusted");
    }
    String fingerprint = hex(key.getFingerprint());
    // a signing subkey is only as good as its primary key: a revoked or expired primary key
    // invalidates every subkey (RFC 9580, 5.2.3.10 and 5.2.3.23)
    PGPPublicKey primary = primaryOf(key);
    Date created = sig.getCreationTime();
    for (PGPPublicKey k : primary == null || primary == key ? List.of(key) : List.of(key, primary)) {
      String which = k == key ? "" : " (a subkey of " + hex(k.getFingerprint()) + ")";
      if (k.hasRevocation()) {
        return new Verification.Refused("commit " + id + " is signed by key " + fingerprint + which
            + ", which is revoked");
      }
      long valid = k.getValidSeconds();
      if (valid > 0 && created.getTime() > k.getCreationTime().getTime() + valid * 1000) {
        return new Verification.Refused("commit " + id + " is signed by key " + fingerprint + which
            + " after it expired");
      }
    }
    try {
      sig.init(new BcPGPContentVerifierBuilderProvider(), key);
      sig.update(signedData(commit.getRawBuffer()));
      if (!sig.verify()) {
        return new Verification.Refused("commit " + id + ": the signature by key " + fingerprint
            + " does not match the commit's content");
      }
    } catch (PGPException | RuntimeException e) {
      return new Verification.Refused("commit " + id + ": the signature by key " + fingerprint + " cannot be checked ("
          + e.getClass().getSimpleName() + ")");
    }
    return new Verification.Verified(fingerprint, userId(key));
  }

  private static @Nullable PGPSignature parse(byte[] armored) throws IOException, PGPException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      Object o = factory.nextObject();
      if (o instanceof PGPCompressedData compressed) {
        o = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
      }
      if (o instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
      return null;
    }
  }

  private @Nullable PGPPublicKey find(PGPSignature sig) {
    IssuerFingerprint fp = sig.getHashedSubPackets() == null ? null : sig.getHashedSubPackets().getIssuerFingerprint();
    for (PGPPublicKeyRing ring : rings) {
      Iterator<PGPPublicKey> keys = ring.getPublicKeys();
      while (keys.hasNext()) {
        PGPPublicKey k = keys.next();
        if (fp != null ? java.util.Arrays.equals(fp.getFingerprint(), k.getFingerprint()) : k.getKeyID() == sig.getKeyID()) {
          return k;
        }
      }
    }
    return null;
  }

  /** The primary key of the trusted ring holding {@code key}. */
  private @Nullable PGPPublicKey primaryOf(PGPPublicKey key) {
    for (PGPPublicKeyRing ring : rings) {
      if (ring.getPublicKey(key.getFingerprint()) != null) {
        return ring.getPublicKey();
      }
    }
    return null;
  }

  private String userId(PGPPublicKey key) {
    for (PGPPublicKeyRing ring : rings) {
      if (ring.getPublicKey(key.getKeyID()) != null) {
        Iterator<String> ids = ring.getPublicKey().getUserIDs();
        return ids.hasNext() ? ids.next() : "";
      }
    }
    return "";
  }

  private static String issuer(PGPSignature sig) {
    IssuerFingerprint fp = sig.getHashedSubPackets() == null ? null : sig.getHashedSubPackets().getIssuerFingerprint();
    return fp != null ? hex(fp.getFingerprint()) : String.format(Locale.ROOT, "%016X", sig.getKeyID());
  }

  /** The commit as it was signed: its raw form without the {@code gpgsig} header and its continuation lines. */
  static byte[] signedData(byte[] raw) {
    int pos = 0;
    while (pos < raw.length && raw[pos] != '\n') {
      int eol = indexOf(raw, pos);
      if (startsWith(raw, pos, GPGSIG) && pos + GPGSIG.length < raw.length && raw[pos + GPGSIG.length] == ' ') {
        int end = eol;
        while (end + 1 < raw.length && raw[end + 1] == ' ') {
          end = indexOf(raw, end + 1);
        }
        int cut = Math.min(end + 1, raw.length);
        byte[] out = new byte[raw.length - (cut - pos)];
        System.arraycopy(raw, 0, out, 0, pos);
        System.arraycopy(raw, cut, out, pos, raw.length - cut);
        return out;
      }
      pos = eol + 1;
    }
    return raw;
  }

  private static int indexOf(byte[] raw, int from) {
    for (int i = from; i < raw.length; i++) {
      if (raw[i] == '\n') {
        return i;
      }
    }
    return raw.length - 1;
  }

  private static boolean startsWith(byte[] raw, int pos, byte[] prefix) {
    if (pos + prefix.length > raw.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (raw[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
