package io.orchestrationplane.core.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The file sink's one-line check finds a newline byte wherever it is, and nothing else. */
class JsonLinesNewlineTest {
  static boolean byteByByte(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '\n') {
        return true;
      }
    }
    return false;
  }

  @Test
  void aNewlineAtEveryPositionOfEveryLengthIsFound() {
    for (int length = 0; length <= 40; length++) {
      byte[] bytes = new byte[length];
      java.util.Arrays.fill(bytes, (byte) 'a');
      assertThat(JsonLinesAuditSink.hasNewline(bytes)).isFalse();
      for (int at = 0; at < length; at++) {
        byte[] with = bytes.clone();
        with[at] = '\n';
        assertThat(JsonLinesAuditSink.hasNewline(with)).as("length %d, at %d", length, at).isTrue();
      }
    }
  }

  @Test
  void randomBytesAgreeWithAByteByByteScan() {
    Random random = new Random(17);
    byte[] near = {0x0A, 0x0B, 0x09, 0x00, (byte) 0x8A, (byte) 0xFF, 0x01, 0x1A, 0x4A, (byte) 0x0A};
    for (int round = 0; round < 50_000; round++) {
      byte[] bytes = new byte[random.nextInt(30)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(40) == 0 ? near[random.nextInt(near.length)]
            : random.nextBoolean() ? (byte) random.nextInt(256) : near[random.nextInt(near.length - 1) + 1];
      }
      assertThat(JsonLinesAuditSink.hasNewline(bytes)).isEqualTo(byteByByte(bytes));
    }
  }
}
