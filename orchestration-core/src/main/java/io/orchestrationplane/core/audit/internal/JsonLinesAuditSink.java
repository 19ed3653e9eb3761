package io.orchestrationplane.core.audit.internal;

import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditSink;
import io.orchestrationplane.core.audit.AuditSinkException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One entry per line, appended and synced once per batch. A batch that fails is cut off again
 * (the file is truncated to its length before the batch), so that a half-written batch is never
 * read back. At open, a last line without a line break is a write torn by a crash: it was never
 * synced as part of an acknowledged batch, and is cut off. Appends are serialized by the audit
 * log; reads may run beside them and see whole lines only.
 */
public final class JsonLinesAuditSink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditSink.class);

  private final Path file;
  private final FileChannel channel;
  /** Bytes of whole lines: what readers may see. */
  private volatile long committed;
  private final long repairedBytes;

  private JsonLinesAuditSink(Path file, FileChannel channel, long committed, long repairedBytes) {
    this.file = file;
    this.channel = channel;
    this.committed = committed;
    this.repairedBytes = repairedBytes;
  }

  public static JsonLinesAuditSink open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      try {
        long size = channel.size();
        long end = lastLineBreak(channel, size);
        long torn = size - end;
        if (torn > 0) {
          LOG.warn("audit file {}: its last line has no line break ({} bytes): a write torn by a crash, never "
              + "acknowledged; cutting it off so that the next entry starts on a line of its own", file, torn);
          channel.truncate(end);
          channel.force(true);
        }
        return new JsonLinesAuditSink(file, channel, end, torn);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new AuditSinkException("audit file " + file + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /** The length up to and including the last line break (0 when there is none). */
  private static long lastLineBreak(FileChannel channel, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long pos = size;
    while (pos > 0) {
      int n = (int) Math.min(buf.capacity(), pos);
      buf.clear().limit(n);
      long from = pos - n;
      while (buf.hasRemaining()) {
        if (channel.read(buf, from + buf.position()) < 0) {
          break;
        }
      }
      for (int i = n - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return from + i + 1;
        }
      }
      pos = from;
    }
    return 0;
  }

  /** How many bytes of a torn last line were cut off when the file was opened (0 when none). */
  public long repairedBytes() {
    return repairedBytes;
  }

  @Override
  public void append(List<AuditEntry> batch) {
    List<String> lines = new java.util.ArrayList<>(batch.size());
    for (AuditEntry e : batch) {
      lines.add(e.toJson());
    }
    appendLines(lines);
  }

  /**
   * {@link #append} of entries already encoded: {@code lines} are their {@link AuditEntry#toJson()}
   * texts, in order (the audit log's writer has them from hashing the records).
   */
  public void appendLines(List<String> lines) {
    List<byte[]> encoded = new java.util.ArrayList<>(lines.size());
    for (String json : lines) {
      encoded.add(json.getBytes(StandardCharsets.UTF_8));
    }
    appendEncoded(encoded);
  }

  /**
   * {@link #appendLines} of lines already in UTF-8 (the audit log's writer has a record's bytes
   * from hashing it): written as they are, each followed by a newline, as one batch and one sync.
   */
  public void appendEncoded(List<byte[]> lines) {
    if (lines.isEmpty()) {
      return;
    }
    int length = 0;
    for (byte[] json : lines) {
      // in UTF-8 the byte 0x0A is the newline and nothing else (no multi-byte sequence holds it)
      if (hasNewline(json)) {
        throw new IllegalArgumentException("an audit entry's JSON must be one line");
      }
      length += json.length + 1;
    }
    byte[] text = new byte[length];
    int at = 0;
    for (byte[] json : lines) {
      System.arraycopy(json, 0, text, at, json.length);
      at += json.length;
      text[at++] = '\n';
    }
    int entries = lines.size();
    ByteBuffer bytes = ByteBuffer.wrap(text);
    long before = committed;
    try {
      channel.position(before);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
      committed = channel.position();
    } catch (IOException e) {
      try {
        channel.truncate(before);
        channel.force(false);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new AuditSinkException("audit file " + file + ": a batch of " + entries + " entries could not be "
          + "written (nothing of it kept): " + e.getMessage(), e);
    }
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101_0101_0101_0101L;
  private static final long HIGHS = 0x8080_8080_8080_8080L;
  private static final long NEWLINES = 0x0A0A_0A0A_0A0A_0A0AL;

  /**
   * True when {@code bytes} holds a 0x0A: eight bytes at a time (a byte of {@code word ^ NEWLINES}
   * is zero exactly where the word has a newline; {@code (x - ONES) & ~x & HIGHS} is non-zero
   * exactly when a byte of {@code x} is zero), then the last few one by one.
   */
  static boolean hasNewline(byte[] bytes) {
    int i = 0;
    for (int end = bytes.length - 7; i < end; i += 8) {
      long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
      if (((x - ONES) & ~x & HIGHS) != 0) {
        return true;
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return true;
      }
    }
    return false;
  }

  @Override
  public void read(Consumer<String> into) {
    long limit = committed;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        BufferedReader reader = new BufferedReader(new InputStreamReader(
            new Bounded(Channels.newInputStream(in), limit), StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = reader.readLine()) != null) {
        into.accept(line);
      }
    } catch (IOException e) {
      throw new AuditSinkException("audit file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Reads no further than the whole lines committed when the read began: an append running meanwhile stays unseen. */
  private static final class Bounded extends java.io.InputStream {
    private final java.io.InputStream in;
    private long left;

    Bounded(java.io.InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  @Override
  public boolean readable() {
    return true;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new AuditSinkException("audit file " + file + " cannot be closed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "AuditSinks.jsonLines(" + file + ")";
  }
}
