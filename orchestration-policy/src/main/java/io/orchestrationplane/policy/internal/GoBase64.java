package io.orchestrationplane.policy.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code base64.decode} as cel-go's encoders extension decodes: Go's {@code base64.StdEncoding} (padding required,
 * line breaks ignored, unused trailing bits tolerated), and when that finds corrupt input, {@code RawStdEncoding}
 * (no padding), whose error is reported: {@code illegal base64 data at input byte 7}.
 */
final class GoBase64 {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final int[] DECODE = new int[256];

  static {
    java.util.Arrays.fill(DECODE, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DECODE[ALPHABET.charAt(i)] = i;
    }
  }

  private GoBase64() {}

  static byte[] decode(String s) {
    byte[] src = s.getBytes(StandardCharsets.UTF_8);
    try {
      return decode(src, true);
    } catch (KubeFunctions.Failure padded) {
      return decode(src, false);
    }
  }

  /** Go's {@code Encoding.Decode} (not strict), quantum by quantum. */
  private static byte[] decode(byte[] src, boolean padding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 3 / 4 + 3);
    int si = 0;
    while (si < src.length) {
      int[] quantum = new int[4];
      int length = 4;
      for (int j = 0; j < 4; j++) {
        if (si == src.length) {
          if (j == 0) {
            return out.toByteArray();
          }
          if (j == 1 || padding) {
            throw corrupt(si - j);
          }
          length = j;
          break;
        }
        int in = src[si] & 0xff;
        si++;
        if (DECODE[in] >= 0) {
          quantum[j] = DECODE[in];
          continue;
        }
        if (in == '\n' || in == '\r') {
          j--;
          continue;
        }
        if (!padding || in != '=') {
          throw corrupt(si - 1);
        }
        // padding: "=" after two characters must be "==", after three a single "="
        if (j < 2) {
          throw corrupt(si - 1);
        }
        if (j == 2) {
          while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
          }
          if (si == src.length) {
            throw corrupt(src.length);
          }
          if (src[si] != '=') {
            throw corrupt(si - 1);
          }
          si++;
        }
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
          si++;
        }
        if (si < src.length) {
          throw corrupt(si);
        }
        length = j;
        break;
      }
      int bits = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
      for (int k = 0; k < length - 1; k++) {
        out.write(bits >> (16 - 8 * k) & 0xff);
      }
    }
    return out.toByteArray();
  }

  private static KubeFunctions.Failure corrupt(int offset) {
    return new KubeFunctions.Failure("illegal base64 data at input byte " + offset);
  }
}
