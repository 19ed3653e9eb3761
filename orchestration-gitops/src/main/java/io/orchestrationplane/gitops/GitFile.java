package io.orchestrationplane.gitops;

import java.util.Objects;

/**
 * A file read from a commit.
 *
 * @param path its path in the repository, {@code /}-separated
 * @param text its content as UTF-8
 */
public record GitFile(String path, String text) {
  public GitFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
  }
}
