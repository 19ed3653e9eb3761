package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.GoNetip;
import io.orchestrationplane.policy.internal.GoText;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address as Kubernetes' CEL {@code ip} library sees it ({@code net.IP} in CEL): parsed as Go's
 * {@code netip.ParseAddr} parses, then zones and IPv4-mapped IPv6 addresses are refused, as Kubernetes does.
 * {@link #toString()} is the canonical form (RFC 5952 for IPv6). Immutable.
 */
public final class IpAddress {
  private final byte[] bytes;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** An address from its 4 (IPv4) or 16 (IPv6) bytes; IPv4-mapped IPv6 bytes are refused as by {@link #parse}. */
  public static IpAddress of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != 4 && bytes.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + bytes.length);
    }
    if (bytes.length == 16 && isMapped(bytes)) {
      throw new IllegalArgumentException("IPv4-mapped IPv6 address " + GoText.quote(new IpAddress(bytes).toString())
          + " is not allowed");
    }
    return new IpAddress(bytes.clone());
  }

  /**
   * Parses a literal address (never a host name).
   *
   * @throws IllegalArgumentException with Kubernetes' message, e.g. {@code IP Address "1.2.3" parse error during
   *     conversion from string: ParseAddr("1.2.3"): IPv4 address too short}
   */
  public static IpAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    String error = GoNetip.parseError(text);
    if (error != null) {
      throw new IllegalArgumentException("IP Address " + GoText.quote(text)
          + " parse error during conversion from string: " + error);
    }
    GoNetip.Addr a = GoNetip.parseAddr(text);
    if (!a.zone().isEmpty()) {
      throw new IllegalArgumentException("IP address " + GoText.quote(text) + " with zone value is not allowed");
    }
    if (a.bytes().length == 16 && isMapped(a.bytes())) {
      throw new IllegalArgumentException("IPv4-mapped IPv6 address " + GoText.quote(text) + " is not allowed");
    }
    return new IpAddress(a.bytes());
  }

  /** Whether {@link #parse} accepts the text. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  /** 4 or 6. */
  public long family() {
    return bytes.length == 4 ? 4 : 6;
  }

  /** A copy of the address bytes (4 or 16). */
  public byte[] bytes() {
    return bytes.clone();
  }

  int length() {
    return bytes.length;
  }

  int unsigned(int i) {
    return bytes[i] & 0xff;
  }

  /** {@code 0.0.0.0} or {@code ::}. */
  public boolean isUnspecified() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code 127.0.0.0/8} or {@code ::1}. */
  public boolean isLoopback() {
    if (bytes.length == 4) {
      return unsigned(0) == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[15] == 1;
  }

  /** {@code 224.0.0.0/24} or {@code ffx2::/16} (link-local scope), as Go's {@code IsLinkLocalMulticast}. */
  public boolean isLinkLocalMulticast() {
    if (bytes.length == 4) {
      return unsigned(0) == 224 && unsigned(1) == 0 && unsigned(2) == 0;
    }
    return unsigned(0) == 0xff && (unsigned(1) & 0x0f) == 0x02;
  }

  /** {@code 169.254.0.0/16} or {@code fe80::/10}. */
  public boolean isLinkLocalUnicast() {
    if (bytes.length == 4) {
      return unsigned(0) == 169 && unsigned(1) == 254;
    }
    return unsigned(0) == 0xfe && (unsigned(1) & 0xc0) == 0x80;
  }

  private boolean isMulticast() {
    return bytes.length == 4 ? (unsigned(0) & 0xf0) == 0xe0 : unsigned(0) == 0xff;
  }

  /**
   * Not unspecified, not {@code 255.255.255.255}, not loopback, multicast or link-local unicast (private and ULA
   * addresses are global unicast), as Go's {@code IsGlobalUnicast}.
   */
  public boolean isGlobalUnicast() {
    if (bytes.length == 4 && unsigned(0) == 255 && unsigned(1) == 255 && unsigned(2) == 255 && unsigned(3) == 255) {
      return false;
    }
    return !isUnspecified() && !isLoopback() && !isMulticast() && !isLinkLocalUnicast();
  }

  /** The canonical text: dotted decimal, or RFC 5952 (lower case, longest run of two or more zero groups as ::). */
  @Override public String toString() {
    return GoNetip.format(bytes);
  }

  @Override public boolean equals(Object o) {
    return o instanceof IpAddress a && Arrays.equals(bytes, a.bytes);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
