package io.orchestrationplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditSinks;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.golden.Goldens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestrate audit verify} against an audit file written by a real {@link AuditLog} over a
 * plane run, signed with a test key made by {@code openssl genpkey -algorithm ed25519} (its public
 * half by {@code openssl pkey -pubout}, the format an auditor is given): intact, an edited record, a
 * deleted record, the wrong key, bad keys, a missing file, a torn last line, an unsigned tail. The
 * file is never changed by verifying it.
 */
class AuditVerifyTest {
  static final String KEYS = "src/test/resources/audit/";
  static final String PUBLIC_KEY = KEYS + "public-key.pem";

  @TempDir
  Path tmp;
  Path file;
  byte[] written;

  /** Two applies on one cluster, checkpoints every 3 records and at close: 4 records, 2 checkpoints, 6 lines. */
  @BeforeEach
  void writeAuditFile() throws Exception {
    file = tmp.resolve("audit.jsonl");
    writeLog(file, "acme/api:1", "acme/api:2");
    assertThat(Files.readAllLines(file)).hasSize(6);
    written = Files.readAllBytes(file);
  }

  static void writeLog(Path file, String firstImage, String secondImage) throws Exception {
    KeyPair key = new KeyPair(
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(pem(KEYS + "public-key.pem"))),
        KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pem(KEYS + "signing-key.pem"))));
    ManualClock clock = ManualClock.create();
    Subject alice = Subject.of("alice@example.com", "platform");
    try (AuditLog audit = AuditLog.builder(AuditSinks.jsonLines(file), key).checkpointEvery(3).clock(clock).build();
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(InMemoryCluster.create("prod"))
            .observer(audit).build()) {
      plane.apply(shop(firstImage), alice);
      clock.advance(Duration.ofMinutes(1));
      plane.apply(shop(secondImage), alice);
    }
  }

  /** Keeps line {@code n} (from 1) of {@code from} in a file of its own, as an auditor keeps a checkpoint. */
  Path keep(Path from, int n) throws Exception {
    Path kept = tmp.resolve("kept-" + n + "-" + from.getFileName());
    Files.writeString(kept, Files.readAllLines(from).get(n - 1) + "\n");
    return kept;
  }

  static Application shop(String image) {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "worker").property("image", image).property("replicas", 2).build())
        .build();
  }

  static byte[] pem(String path) throws Exception {
    String text = Files.readString(Path.of(path));
    return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
  }

  CliRun verify(String... more) {
    List<String> args = new ArrayList<>(List.of("audit", "verify", file.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  void golden(String name, CliRun run) {
    Goldens.assertMatches("golden/" + name + ".txt", run.golden().replace(tmp.toString(), "$TMP"));
  }

  void rewrite(List<String> lines) throws Exception {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    written = Files.readAllBytes(file);
  }

  void assertUnchanged() throws Exception {
    assertThat(Files.readAllBytes(file)).isEqualTo(written);
  }

  @Test
  void anIntactFileExitsZeroWithRecordsCheckpointsAndHead() throws Exception {
    CliRun text = verify("--public-key", PUBLIC_KEY);
    assertThat(text.exit()).as(text.golden()).isEqualTo(ExitCode.SUCCESS.code());
    golden("audit-verify-intact", text);
    CliRun json = verify("--public-key", PUBLIC_KEY, "-o", "json", "--require-signed");
    assertThat(json.exit()).isZero();
    golden("audit-verify-intact-json", json);
    assertUnchanged();
  }

  @Test
  void anEditedRecordExitsOneNamingItsLineAndWhy() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    assertThat(lines.get(1)).contains("\"action\":\"execute\"").contains("\"name\":\"alice@example.com\"");
    lines.set(1, lines.get(1).replace("\"name\":\"alice@example.com\"", "\"name\":\"bob@example.com\""));
    rewrite(lines);
    CliRun text = verify("--public-key", PUBLIC_KEY);
    assertThat(text.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-edited", text);
    CliRun json = verify("--public-key", PUBLIC_KEY, "-o", "json");
    assertThat(json.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-edited-json", json);
    CliRun sarif = verify("--public-key", PUBLIC_KEY, "-o", "sarif");
    assertThat(sarif.exit()).isEqualTo(ExitCode.FAILURE.code());
    assertThat(sarif.out()).contains("\"ruleId\" : \"orchestrate/audit-verify\"").contains("\"startLine\" : 2");
    assertUnchanged();
  }

  @Test
  void aDeletedRecordExitsOneAtTheRecordAfterIt() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(1);
    rewrite(lines);
    CliRun run = verify("--public-key", PUBLIC_KEY);
    assertThat(run.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-deleted", run);
    assertUnchanged();
  }

  @Test
  void anotherKeyExitsOneAtTheFirstCheckpoint() throws Exception {
    CliRun run = verify("--public-key", KEYS + "other-public-key.pem");
    assertThat(run.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-wrong-key", run);
    assertUnchanged();
  }

  @Test
  void aMissingFileOrAKeyThatIsNotAnEd25519PublicKeyIsInvalidInput() throws Exception {
    CliRun missing = CliRun.of("audit", "verify", KEYS + "no-such.jsonl", "--public-key", PUBLIC_KEY);
    assertThat(missing.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("audit-verify-missing-file", missing);
    assertThat(Path.of(KEYS + "no-such.jsonl")).doesNotExist();
    CliRun rsa = verify("--public-key", KEYS + "rsa-public-key.pem");
    assertThat(rsa.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("audit-verify-rsa-key", rsa);
    CliRun privateKey = verify("--public-key", KEYS + "signing-key.pem");
    assertThat(privateKey.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("audit-verify-private-key", privateKey);
    CliRun noKey = verify();
    assertThat(noKey.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(noKey.err()).contains("--public-key");
    CliRun noKeyFile = verify("--public-key", KEYS + "no-such.pem");
    assertThat(noKeyFile.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(noKeyFile.err()).contains("no-such.pem: no such file (--public-key)");
    CliRun keyDirectory = verify("--public-key", KEYS);
    assertThat(keyDirectory.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(keyDirectory.err()).contains(": not a regular file (--public-key)");
    CliRun checkpointDirectory = verify("--public-key", PUBLIC_KEY, "--checkpoint", KEYS);
    assertThat(checkpointDirectory.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(checkpointDirectory.err()).contains(": not a regular file (--checkpoint)");
    assertUnchanged();
  }

  @Test
  void aFileWithoutCheckpointsHasNothingSigned() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    rewrite(lines.subList(0, 3));
    CliRun lenient = verify("--public-key", PUBLIC_KEY, "-o", "json");
    assertThat(lenient.exit()).isZero();
    assertThat(lenient.out()).contains("\"checkpoints\" : 0").contains("\"unsignedRecords\" : 3");
    CliRun strict = verify("--public-key", PUBLIC_KEY, "--require-signed");
    assertThat(strict.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-no-checkpoint", strict);
    assertUnchanged();
  }

  @Test
  void aTornLastLineIsReportedNotVerifiedAndNotCutOff() throws Exception {
    List<String> lines = Files.readAllLines(file);
    String torn = lines.get(0).substring(0, 40);
    Files.writeString(file, torn, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    written = Files.readAllBytes(file);
    CliRun run = verify("--public-key", PUBLIC_KEY);
    assertThat(run.exit()).as(run.golden()).isZero();
    golden("audit-verify-torn", run);
    assertUnchanged();
  }

  @Test
  void recordsAfterTheLastCheckpointAreIntactButUnsignedAndFailWithRequireSigned() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(5); // the checkpoint close() appended
    rewrite(lines);
    CliRun lenient = verify("--public-key", PUBLIC_KEY);
    assertThat(lenient.exit()).isZero();
    golden("audit-verify-unsigned-tail", lenient);
    CliRun strict = verify("--public-key", PUBLIC_KEY, "--require-signed");
    assertThat(strict.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-require-signed", strict);
    CliRun sarif = verify("--public-key", PUBLIC_KEY, "--require-signed", "-o", "sarif");
    assertThat(sarif.exit()).isEqualTo(ExitCode.FAILURE.code());
    assertThat(sarif.out()).contains("\"ruleId\" : \"orchestrate/audit-verify\"").contains("\"startLine\" : 5");
    assertUnchanged();
  }

  @Test
  void aKeptCheckpointCatchesRecordsCutOffTheEnd() throws Exception {
    Path kept = keep(file, 6); // the checkpoint of all 4 records, written at close()
    CliRun whole = verify("--public-key", PUBLIC_KEY, "--checkpoint", kept.toString());
    assertThat(whole.exit()).as(whole.golden()).isZero();
    golden("audit-verify-checkpoint-extends", whole);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    rewrite(lines.subList(0, 4)); // cut off record 3 and the last checkpoint: the file alone still verifies
    assertThat(verify("--public-key", PUBLIC_KEY).exit()).isZero();
    CliRun cut = verify("--public-key", PUBLIC_KEY, "--checkpoint", kept.toString());
    assertThat(cut.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-checkpoint-cut-off", cut);
    CliRun olderKept = verify("--public-key", PUBLIC_KEY, "--checkpoint", keep(file, 4).toString());
    assertThat(olderKept.exit()).as(olderKept.golden()).isZero();
    assertUnchanged();
  }

  @Test
  void aKeptCheckpointCatchesALogRewrittenAndSignedAgain() throws Exception {
    Path other = tmp.resolve("other").resolve("audit.jsonl");
    writeLog(other, "acme/api:1", "acme/api:3"); // same key, same first apply, another second one
    Path kept = keep(other, 4); // its checkpoint of 3 records: the second plan differs
    CliRun run = verify("--public-key", PUBLIC_KEY, "--checkpoint", kept.toString());
    assertThat(run.exit()).isEqualTo(ExitCode.FAILURE.code());
    golden("audit-verify-checkpoint-forked", run);
    assertUnchanged();
  }

  @Test
  void aKeptCheckpointNotSignedByTheKeyOrNotACheckpointIsInvalidInput() throws Exception {
    CliRun record = verify("--public-key", PUBLIC_KEY, "--checkpoint", keep(file, 1).toString());
    assertThat(record.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(record.err()).contains("holds an audit record, not a checkpoint");
    Path kept = keep(file, 4);
    CliRun otherKey = CliRun.of("audit", "verify", file.toString(), "--public-key", KEYS + "other-public-key.pem",
        "--checkpoint", kept.toString());
    assertThat(otherKey.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
    golden("audit-verify-checkpoint-other-key", otherKey);
    assertUnchanged();
  }
}
