package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.GoNetip;
import io.orchestrationplane.policy.internal.GoText;
import java.util.Objects;

/**
 * An IP prefix ({@code 10.0.0.0/8}) as Kubernetes' CEL {@code cidr} library sees it ({@code net.CIDR} in CEL):
 * parsed as Go's {@code netip.ParsePrefix} parses; the address keeps its host bits ({@link #masked} clears them).
 *
 * @param ip the address as written, host bits included
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(IpAddress ip, int prefixLength) {
  public Cidr {
    Objects.requireNonNull(ip, "ip");
    if (prefixLength < 0 || prefixLength > ip.length() * 8) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + ip);
    }
  }

  /**
   * Parses CIDR notation.
   *
   * @throws IllegalArgumentException with Kubernetes' message, e.g. {@code network address parse error during
   *     conversion from string: network address parse error during conversion from string:
   *     netip.ParsePrefix("10.0.0.0"): no '/'}
   */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    GoNetip.Addr[] addr = new GoNetip.Addr[1];
    int[] bits = new int[1];
    String error = GoNetip.parsePrefixError(text, addr, bits);
    if (error != null) {
      // Kubernetes wraps the parse error twice (stringToCIDR around parseCIDR); the message says so twice.
      throw new IllegalArgumentException("network address parse error during conversion from string: "
          + "network address parse error during conversion from string: " + error);
    }
    byte[] b = addr[0].bytes();
    if (b.length == 16 && IpAddress.isMapped(b)) {
      throw new IllegalArgumentException("network address parse error during conversion from string: "
          + "IPv4-mapped IPv6 address " + GoText.quote(text) + " is not allowed");
    }
    return new Cidr(IpAddress.of(b), bits[0]);
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

  /** Whether the address lies in this prefix (false across families). */
  public boolean contains(IpAddress other) {
    if (other.length() != ip.length()) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((ip.unsigned(bit / 8) & mask) != (other.unsigned(bit / 8) & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the other prefix lies within this one: same family, at least as long, same leading bits. */
  public boolean contains(Cidr other) {
    return other.ip.length() == ip.length() && other.prefixLength >= prefixLength && contains(other.ip);
  }

  /** The same prefix with the host bits of the address cleared. */
  public Cidr masked() {
    byte[] a = ip.bytes();
    for (int bit = prefixLength; bit < a.length * 8; bit++) {
      a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new Cidr(IpAddress.of(a), prefixLength);
  }

  /** {@code address/length}, the address in canonical form with its host bits. */
  @Override public String toString() {
    return ip + "/" + prefixLength;
  }
}
