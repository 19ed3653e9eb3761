package io.orchestrationplane.cli.internal;

import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditSink;
import io.orchestrationplane.core.audit.Checkpoint;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A JSON Lines audit file opened for verification only: read once into memory, never created,
 * written, repaired or truncated ({@code AuditSinks.jsonLines} would create a missing file and cut
 * off a torn last line when it opens one, which an auditor must not do to the evidence). It reads
 * the lines the way that sink reads them back, whole lines only: the bytes after the last line
 * break are a write torn by a crash, never acknowledged, and are reported, not verified.
 */
final class AuditFile implements AuditSink {
  private final Path path;
  private final List<String> lines;
  private final long tornBytes;
  private @Nullable Checkpoint lastCheckpoint;
  /** Each checkpoint read, by its line (from 1). */
  private final java.util.Map<Long, Checkpoint> checkpoints = new java.util.LinkedHashMap<>();
  /** The line (from 1) of each record read, in order. */
  private final List<Long> recordLines = new ArrayList<>();

  private AuditFile(Path path, List<String> lines, long tornBytes) {
    this.path = path;
    this.lines = lines;
    this.tornBytes = tornBytes;
  }

  /** Reads {@code path}; invalid input (exit 4) when it does not exist or is not a regular file. */
  static AuditFile read(Path path) {
    if (!Files.exists(path)) {
      throw CliException.invalid(Paths.display(path) + ": no such file");
    }
    if (!Files.isRegularFile(path)) {
      throw CliException.invalid(Paths.display(path) + ": not a regular file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw CliException.invalid(Paths.display(path) + ": cannot be read: " + e.getMessage());
    }
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new ByteArrayInputStream(bytes, 0, end), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AuditFile(path, List.copyOf(lines), bytes.length - end);
  }

  Path path() {
    return path;
  }

  /** Bytes after the last line break: a torn write, not verified (0 when the file ends with one). */
  long tornBytes() {
    return tornBytes;
  }

  /** The text of line {@code n} (from 1), or null past the end. */
  @Nullable String line(long n) {
    return n >= 1 && n <= lines.size() ? lines.get((int) n - 1) : null;
  }

  /** The line of the {@code index}th record (from 0) read by {@link #read(Consumer)}, or past the end. */
  long recordLine(long index) {
    return index < recordLines.size() ? recordLines.get((int) index) : lines.size() + 1;
  }

  /** How many whole lines the file holds. */
  long lineCount() {
    return lines.size();
  }

  /** The checkpoints read by {@link #read(Consumer)}, by line (from 1), in order. */
  java.util.Map<Long, Checkpoint> checkpoints() {
    return java.util.Collections.unmodifiableMap(checkpoints);
  }

  /** The last checkpoint read, once {@link #read(Consumer)} ran; null when there is none. */
  @Nullable Checkpoint lastCheckpoint() {
    return lastCheckpoint;
  }

  @Override
  public void append(List<AuditEntry> batch) {
    throw new UnsupportedOperationException(this + " is open for verification only");
  }

  @Override
  public void read(Consumer<String> into) {
    lastCheckpoint = null;
    recordLines.clear();
    checkpoints.clear();
    long n = 0;
    for (String line : lines) {
      n++;
      into.accept(line);
      try {
        AuditEntry entry = AuditEntry.parse(line);
        if (entry instanceof Checkpoint c) {
          lastCheckpoint = c;
          checkpoints.put(n, c);
        } else {
          recordLines.add(n);
        }
      } catch (RuntimeException notAnEntry) {
        // the verifier has already reported it; the summary only needs well-formed checkpoints
      }
    }
  }

  @Override
  public boolean readable() {
    return true;
  }

  @Override
  public String toString() {
    return "audit file " + Paths.display(path) + " (read-only)";
  }
}
