package io.orchestrationplane.core.state;

import java.nio.file.Path;

/**
 * Run in a second JVM by {@link FileStateStoreTest}: opens the file store in {@code args[0]} and
 * prints {@code opened} or the error, so the test sees what another process gets.
 */
public final class LockProbe {
  private LockProbe() {}

  /** Opens and closes the store in {@code args[0]}. */
  public static void main(String[] args) {
    try (StateStore store = StateStore.directory(Path.of(args[0]))) {
      System.out.println("opened " + store.list("workflows").size());
    } catch (StateStoreException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}
