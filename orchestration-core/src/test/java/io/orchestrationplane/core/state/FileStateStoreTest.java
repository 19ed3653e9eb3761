package io.orchestrationplane.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The file store keeps its promises about files, damage and locking. The {@code StateStore}
 * contract itself runs over this store in the testkit ({@code FileStateStoreConformanceTest}):
 * the contract lives there so that other modules and users can extend it, and core cannot depend
 * on the testkit.
 */
class FileStateStoreTest {
  @TempDir
  Path dir;

  private static final StateKey SHOP = StateKey.of("workflows", "shop.release");
  private final List<StateStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(StateStore::close);
  }

  private StateStore open() {
    return open(StateStore.Config.defaults());
  }

  private StateStore open(StateStore.Config config) {
    StateStore store = StateStore.directory(dir, config);
    opened.add(store);
    return store;
  }

  /** A second instance over the directory, which the test closes (the first must be closed before). */
  private StateStore reopen(StateStore.Config config) {
    return StateStore.directory(dir, config);
  }

  private static JsonNode step(String step) {
    return Json.object().put("step", step);
  }

  /** Truncates the key's file to half, as a crash on a file system without ordered writes might. */
  private void truncate(StateKey key) throws IOException {
    Path file = fileOf(key);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
  }

  private Path fileOf(StateKey key) {
    return dir.resolve(key.namespace()).resolve(key.name() + ".json");
  }

  private String shown(Path file) throws IOException {
    return file.toRealPath().toString();
  }

  // ---- layout

  @Test
  void eachKeyIsOneReadableJsonFileUnderItsNamespaceAndNoTemporaryIsLeft() throws Exception {
    StateStore store = open();
    long v = ((StateWriteResult.Written) store.create(SHOP, step("approve"))).version();

    Path file = fileOf(SHOP);
    String text = Files.readString(file);
    JsonNode parsed = Json.readJson(text);
    assertThat(parsed.get("format").asInt()).isEqualTo(1);
    assertThat(parsed.get("namespace").asString()).isEqualTo("workflows");
    assertThat(parsed.get("name").asString()).isEqualTo("shop.release");
    assertThat(parsed.get("version").asLong()).isEqualTo(v);
    assertThat(parsed.get("digest").asString()).matches("sha256:[0-9a-f]{64}");
    assertThat(parsed.get("value")).isEqualTo(step("approve"));
    assertThat(text).contains("\n  \"version\": " + v + ",\n").contains("\"value\": {\"step\":\"approve\"}");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("shop.release.json");
    }
  }

  @Test
  void aDeleteRemovesTheFileAndRecordsTheVersionFloor() throws Exception {
    StateStore store = open();
    long v = ((StateWriteResult.Written) store.create(SHOP, step("done"))).version();
    store.delete(SHOP, v);

    assertThat(fileOf(SHOP)).doesNotExist();
    assertThat(Json.readJson(Files.readString(dir.resolve(".version-floor.json"))).get("highestDeletedVersion").asLong())
        .isEqualTo(v);
  }

  @Test
  void aWriteInterruptedBeforeItsRenameLeavesTheOldValueAndTheNextWriteSucceeds() throws Exception {
    StateStore store = open();
    long v = ((StateWriteResult.Written) store.create(SHOP, step("old"))).version();
    store.close();
    // What a crash half way through writing the temporary file leaves behind.
    Files.writeString(dir.resolve("workflows/.shop.release.json.tmp"), "{\n  \"format\": 1,\n  \"namesp");
    Files.writeString(dir.resolve("workflows/notes.txt"), "not the store's");

    StateStore restarted = reopen(StateStore.Config.defaults());
    try {
      assertThat(restarted.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v, step("old")));
      assertThat(restarted.list("workflows")).extracting(StateEntry::key).containsExactly(SHOP);
      assertThat(restarted.compareAndSet(SHOP, v, step("new")).written()).isTrue();
      assertThat(restarted.get(SHOP).orElseThrow().value()).isEqualTo(step("new"));
    } finally {
      restarted.close();
    }
  }

  // ---- damaged files

  @Test
  void aTruncatedFileIsAnErrorNamingTheFileAndWhereTheJsonStops() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    truncate(SHOP);

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOfSatisfying(CorruptStateException.class, e -> {
      assertThat(e.key()).contains(SHOP);
      assertThat(e.location()).isEqualTo(realFile(SHOP));
    }).hasMessageContaining("stored state of workflows/shop.release at " + realFile(SHOP) + " is not valid: ")
        .hasMessageContaining("line ")
        .hasMessageContaining("restore it from a backup or move it away; other keys are not affected");
  }

  private String realFile(StateKey key) {
    try {
      return shown(fileOf(key));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEmptyFileIsAnError() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    Files.write(fileOf(SHOP), new byte[0]);

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining(realFile(SHOP) + " is empty");
  }

  @Test
  void aFileThatIsNotUtf8IsAnError() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    byte[] bytes = Files.readAllBytes(fileOf(SHOP));
    byte[] broken = new byte[bytes.length + 2];
    System.arraycopy(bytes, 0, broken, 0, bytes.length);
    broken[bytes.length] = (byte) 0xC3; // a lead byte with no continuation
    broken[bytes.length + 1] = (byte) 0x28;
    Files.write(fileOf(SHOP), broken);

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining(realFile(SHOP) + " is not valid UTF-8");
  }

  @Test
  void aValueEditedByHandNoLongerMatchesItsDigest() throws Exception {
    StateStore store = open();
    long v = ((StateWriteResult.Written) store.create(SHOP, step("suspend-for-approval"))).version();
    Path file = fileOf(SHOP);
    Files.writeString(file, Files.readString(file).replace("suspend-for-approval", "approved-by-hand"));

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining(realFile(SHOP) + " has a value that does not match the digest stored with it");
    assertThatThrownBy(() -> store.compareAndSet(SHOP, v, step("next"))).isInstanceOf(CorruptStateException.class);
    assertThat(Files.readString(file)).contains("approved-by-hand"); // the failed write changed nothing
  }

  @Test
  void aFileCopiedUnderAnotherKeysNameIsAnError() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    StateKey copy = StateKey.of("workflows", "copy");
    Files.copy(fileOf(SHOP), fileOf(copy));

    assertThatThrownBy(() -> store.get(copy)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("names another key (namespace 'workflows', name 'shop.release') than its path does");
    assertThat(store.get(SHOP)).isPresent();
  }

  @Test
  void aFileOfAnotherFormatOrWithFieldsAddedOrMissingIsAnError() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    Path file = fileOf(SHOP);
    String original = Files.readString(file);

    Files.writeString(file, original.replace("\"format\": 1", "\"format\": 2"));
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("has format 2, which this version cannot read");

    Files.writeString(file, original.replace("\"format\": 1,", "\"format\": 1, \"owner\": \"me\","));
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("is not a state file of format 1: unknown ['owner']");

    Files.writeString(file, original.replaceAll("\"digest\": \"[^\"]*\",", ""));
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("missing [digest]");

    Files.writeString(file, original.replaceAll("\"version\": \\d+", "\"version\": \"7\""));
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("\"version\" that is not a whole number >= 1");

    Files.writeString(file, "[1, 2]");
    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("is not a state file: it holds a JSON array");
  }

  @Test
  void aDuplicatedFieldIsAnErrorNotALastOneWins() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    Path file = fileOf(SHOP);
    Files.writeString(file, Files.readString(file).replace("\"value\": {\"step\":\"approve\"}",
        "\"value\": {\"step\":\"approve\",\"step\":\"skip\"}"));

    assertThatThrownBy(() -> store.get(SHOP)).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining("appears twice");
  }

  @Test
  void aFileNotNamedLikeAKeyFailsTheListingOfItsNamespaceNamingIt() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));
    Path stray = dir.resolve("workflows/Shop_Old.json");
    Files.writeString(stray, "{}");

    assertThatThrownBy(() -> store.list("workflows")).isInstanceOf(CorruptStateException.class)
        .hasMessageContaining(stray.toRealPath() + " is not named like a state key");
    assertThat(store.list("workflows", "shop")).extracting(StateEntry::key).containsExactly(SHOP);
    assertThat(store.get(SHOP)).isPresent();
  }

  @Test
  void aDamagedVersionFloorFailsCreatesAndDeletesNamingItWhileReadsAndUpdatesWork() throws Exception {
    StateStore store = open();
    long v = ((StateWriteResult.Written) store.create(SHOP, step("approve"))).version();
    StateKey other = StateKey.of("workflows", "other");
    long o = ((StateWriteResult.Written) store.create(other, step("x"))).version();
    store.delete(other, o);
    store.close();
    Path floor = dir.resolve(".version-floor.json");
    Files.writeString(floor, "{\"format\": 1, \"highestDeletedVersion\": -4}");

    StateStore restarted = reopen(StateStore.Config.defaults());
    try {
      assertThatThrownBy(() -> restarted.create(StateKey.of("workflows", "new"), step("x")))
          .isInstanceOfSatisfying(CorruptStateException.class, e -> assertThat(e.key()).isEmpty())
          .hasMessageContaining(floor.toRealPath() + " is not {\"format\": 1, \"highestDeletedVersion\"");
      assertThat(restarted.get(SHOP).orElseThrow().version()).isEqualTo(v);
      long v2 = ((StateWriteResult.Written) restarted.compareAndSet(SHOP, v, step("next"))).version();
      assertThatThrownBy(() -> restarted.delete(SHOP, v2)).isInstanceOf(CorruptStateException.class);
      assertThat(restarted.get(SHOP)).isPresent();
    } finally {
      restarted.close();
    }
  }

  // ---- limits

  @Test
  void theLargestAllowedValueIsWrittenAndReadBackAfterARestart() {
    StateStore.Config largest = StateStore.Config.custom().maxValueBytes(StateStore.Config.MAX_VALUE_BYTES).build();
    StateStore store = open(largest);
    // Two strings of 1,000,000 characters: just under 2 MiB, each string within the reader's limit.
    JsonNode value = Json.object().put("a", "a".repeat(1_000_000)).put("b", "b".repeat(1_000_000));
    long v = ((StateWriteResult.Written) store.create(SHOP, value)).version();
    store.close();

    StateStore restarted = reopen(largest);
    try {
      assertThat(restarted.get(SHOP).orElseThrow()).isEqualTo(new StateEntry(SHOP, v, value));
    } finally {
      restarted.close();
    }
  }

  // ---- one open store per directory

  @Test
  void aSecondStoreOverTheSameDirectoryInThisJvmIsRefusedUntilTheFirstCloses() throws Exception {
    StateStore first = open();
    first.create(SHOP, step("approve"));

    assertThatThrownBy(() -> StateStore.directory(dir)).isInstanceOf(StateStoreException.class)
        .hasMessageContaining("state directory " + dir.toRealPath() + " is already open in this JVM");
    assertThatThrownBy(() -> StateStore.directory(dir.resolve("workflows").resolve(".."))) // another spelling
        .isInstanceOf(StateStoreException.class).hasMessageContaining("already open in this JVM");
    assertThat(first.get(SHOP)).isPresent(); // the refused open did not disturb the first

    first.close();
    StateStore second = StateStore.directory(dir);
    try {
      assertThat(second.get(SHOP)).isPresent();
    } finally {
      second.close();
    }
  }

  @Test
  void anotherProcessCannotOpenTheDirectoryUntilThisStoreCloses() throws Exception {
    StateStore store = open();
    store.create(SHOP, step("approve"));

    assertThat(probeFromAnotherProcess()).startsWith("refused: state directory " + dir.toRealPath()
        + " is in use by another process, which holds the lock on " + dir.toRealPath().resolve(".lock"));
    assertThat(store.get(SHOP)).isPresent();

    store.close();
    assertThat(probeFromAnotherProcess()).isEqualTo("opened 1");
  }

  private String probeFromAnotherProcess() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
        dir.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the probe process finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = out.lines().filter(l -> l.startsWith("opened") || l.startsWith("refused")).toList();
    assertThat(lines).as("probe output: %s", out).hasSize(1);
    return lines.get(0);
  }

  @Test
  void aPathThatIsAFileCannotBeAStateDirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");

    assertThatThrownBy(() -> StateStore.directory(file)).isInstanceOf(StateStoreException.class)
        .hasMessageContaining("cannot use " + file.toAbsolutePath() + " as a state directory");
  }
}
