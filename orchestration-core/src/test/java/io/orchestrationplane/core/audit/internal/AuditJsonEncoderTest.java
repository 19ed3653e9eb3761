package io.orchestrationplane.core.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.observe.Subject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The writer's byte encoder gives, byte for byte, the canonical form and the line of the
 * {@code StringBuilder} encoding the verifier uses (and that earlier versions wrote), for plain
 * records, for every character class the escaping treats differently, and across buffer growth.
 */
class AuditJsonEncoderTest {
  /** Strings of every class: plain ASCII, escaped, control, separators, Latin-1, BMP, pairs, lone surrogates. */
  static final List<String> TRICKY = List.of("", "plain", "a \"quoted\" word", "back\\slash", "line\nbreak\r\ttab",
      "bell\u0007 and nul\u0000", "del\u007f", "sep\u2028par\u2029", "ÆØÅ café", "日本語", "emoji \uD83D\uDE00 pair",
      "lone \uD800 high", "lone \uDC00 low", "ends high \uD83D", "\uDE00 starts low", "slash / and <tag>");

  static AuditRecord record(long sequence, String s, int verdicts, int outcomes, String hash) {
    List<AuditRecord.Verdict> vs = new java.util.ArrayList<>();
    for (int i = 0; i < verdicts; i++) {
      vs.add(new AuditRecord.Verdict("policy-" + s, i % 2 == 0 ? "Deny" : "Warn", "Deployment ns/" + s, "c" + i, s));
    }
    List<AuditRecord.ClusterOutcome> os = new java.util.ArrayList<>();
    for (int i = 0; i < outcomes; i++) {
      os.add(new AuditRecord.ClusterOutcome("cluster-" + i + s, i, 2 * i, Integer.MAX_VALUE - i, i + 1, 0, 7, s));
    }
    String name = s.replaceAll("\\p{Cntrl}", "_"); // a subject's names: no control characters, at most 256
    name = name.substring(0, Math.min(name.length(), 200));
    return new AuditRecord(sequence, Instant.parse("2026-12-04T13:45:01.123456789Z").plusSeconds(sequence % 100_000),
        Subject.of("user " + name, "team-" + name, "g2"), AuditAction.values()[(int) (sequence % AuditAction.values().length)],
        "shop/" + s, "sha256:" + s, "sha256:plan" + s, vs, os, "message " + s, AuditRecord.GENESIS, hash);
  }

  static void assertSame(AuditJson.Encoder encoder, AuditRecord r) {
    encoder.canonical(r.sequence(), r.time(), r.subject(), r.action(), r.application(), r.revision(), r.plan(),
        r.verdicts(), r.outcomes(), r.message(), r.previous());
    byte[] canonical = Arrays.copyOf(encoder.bytes(), encoder.length());
    assertThat(canonical).isEqualTo(AuditJson.canonical(r));
    assertThat(encoder.line(r.hash())).isEqualTo(r.toJson().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyCharacterClassIsEncodedAsTheVerifierEncodesIt() {
    AuditJson.Encoder encoder = new AuditJson.Encoder();
    long sequence = 0;
    for (String s : TRICKY) {
      String hash = HexFormat.of().formatHex(MerkleTree.leafHash(s.getBytes(StandardCharsets.UTF_8)));
      assertSame(encoder, record(sequence++, s, 0, 0, hash));
      assertSame(encoder, record(sequence++, s, 3, 2, hash));
    }
    assertSame(encoder, record(Long.MAX_VALUE, "max", 1, 1, AuditRecord.GENESIS));
  }

  @Test
  void randomStringsAndBufferGrowthAndShrinking() {
    AuditJson.Encoder encoder = new AuditJson.Encoder();
    Random random = new Random(17);
    char[] alphabet = "ab\"\\\n\u0001\u007f\u00e9\u2028\uD83D\uDE00\uD800 /".toCharArray();
    for (int round = 0; round < 300; round++) {
      int length = round % 50 == 49 ? 70_000 : random.nextInt(40); // now and then one past the kept buffer
      char[] cs = new char[length];
      for (int i = 0; i < length; i++) {
        cs[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : (char) ('a' + random.nextInt(26));
      }
      assertSame(encoder, record(round, new String(cs), random.nextInt(3), random.nextInt(3), AuditRecord.GENESIS));
    }
  }

  @Test
  void theLineEndsWithTheHashAndTheCanonicalFormHashesToIt() {
    AuditRecord r = record(5, "x", 1, 1, "");
    String hash = r.computeHash();
    AuditJson.Encoder encoder = new AuditJson.Encoder();
    encoder.canonical(r.sequence(), r.time(), r.subject(), r.action(), r.application(), r.revision(), r.plan(),
        r.verdicts(), r.outcomes(), r.message(), r.previous());
    byte[] digest = MerkleTree.sha256().digest(Arrays.copyOf(encoder.bytes(), encoder.length()));
    assertThat(HexFormat.of().formatHex(digest)).isEqualTo(hash);
    assertThat(new String(encoder.line(hash), StandardCharsets.UTF_8)).endsWith(",\"hash\":\"" + hash + "\"}");
    assertThat(MerkleTree.leafHash(MerkleTree.sha256(), encoder.bytes(), 0, encoder.length()))
        .isEqualTo(MerkleTree.leafHash(Arrays.copyOf(encoder.bytes(), encoder.length())));
  }

  /** Each record's time as Instant.toString gives it: whole seconds, milli-, micro- and nanoseconds, the edges. */
  @Test
  void timesAreWrittenAsInstantToStringWritesThem() {
    AuditJson.Encoder encoder = new AuditJson.Encoder();
    AuditRecord base = record(1, "t", 0, 0, AuditRecord.GENESIS);
    List<Instant> times = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(0, 1),
        Instant.ofEpochSecond(-1, 999_999_999), Instant.parse("1969-12-31T23:59:59Z"),
        Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2026-12-04T13:45:01.000120Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("0999-06-15T08:30:00.5Z"), Instant.MIN, Instant.MAX));
    Random random = new Random(17);
    int[] nanos = {0, 1, 10, 999, 1_000, 120_000, 1_000_000, 7_000_000, 999_999_999, 500_000_000, 123_456_789};
    for (int i = 0; i < 5_000; i++) {
      long seconds = random.nextLong(-100_000_000_000L, 300_000_000_000L);
      times.add(Instant.ofEpochSecond(seconds, random.nextBoolean() ? nanos[random.nextInt(nanos.length)]
          : random.nextInt(1_000_000_000)));
    }
    for (Instant t : times) {
      AuditRecord r = new AuditRecord(base.sequence(), t, base.subject(), base.action(), base.application(),
          base.revision(), base.plan(), base.verdicts(), base.outcomes(), base.message(), base.previous(), base.hash());
      assertSame(encoder, r);
      assertThat(new String(encoder.line(r.hash()), StandardCharsets.UTF_8)).contains("\"time\":\"" + t + "\"");
    }
  }
}
