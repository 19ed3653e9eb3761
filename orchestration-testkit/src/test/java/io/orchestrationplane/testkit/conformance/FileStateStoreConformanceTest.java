package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's file store ({@link StateStore#directory}) passes the whole contract, durability and
 * damage included. Its file-specific promises (layout, locking, each kind of damage) are tested in
 * core's {@code FileStateStoreTest}.
 */
class FileStateStoreConformanceTest extends StateStoreContract {
  @TempDir
  Path dir;

  @Override
  protected StateStore newStore(StateStore.Config config) {
    return StateStore.directory(dir, config);
  }

  @Override
  protected boolean durable() {
    return true;
  }

  @Override
  protected StateStore reopen(StateStore.Config config) {
    return StateStore.directory(dir, config);
  }

  @Override
  protected boolean damageable() {
    return true;
  }

  /** Truncates the key's file to half, as a crash on a file system without ordered writes might. */
  @Override
  protected void damage(StateStore store, StateKey key) throws IOException {
    Path file = dir.resolve(key.namespace()).resolve(key.name() + ".json");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
  }
}
