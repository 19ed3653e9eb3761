package io.orchestrationplane.policy.internal;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** An IPv4 or IPv6 address as Kubernetes' CEL {@code ip} library sees it (no zones, no IPv4-mapped IPv6). */
public record IpAddress(InetAddress address) {
  /** Parses a literal address (never a host name); throws {@link IllegalArgumentException} naming the text. */
  public static IpAddress parse(String text) {
    if (text.indexOf('%') >= 0) {
      throw new IllegalArgumentException("IP address with zone value is not allowed: " + text);
    }
    if (text.indexOf(':') < 0 && !text.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")) {
      throw new IllegalArgumentException("IP address '" + text + "' is not a valid IPv4 or IPv6 address");
    }
    InetAddress a;
    try {
      a = InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("IP address '" + text + "' is not a valid IPv4 or IPv6 address");
    }
    // Guava turns IPv4-mapped IPv6 (::ffff:a.b.c.d) into IPv4; Kubernetes rejects that form.
    if (text.indexOf(':') >= 0 && a instanceof Inet4Address) {
      throw new IllegalArgumentException("IPv4-mapped IPv6 address is not allowed: " + text);
    }
    return new IpAddress(a);
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public long family() {
    return address instanceof Inet6Address ? 6 : 4;
  }

  public byte[] bytes() {
    return address.getAddress();
  }

  public boolean isUnspecified() {
    return address.isAnyLocalAddress();
  }

  public boolean isLoopback() {
    return address.isLoopbackAddress();
  }

  public boolean isLinkLocalMulticast() {
    byte[] b = bytes();
    if (b.length == 4) {
      return (b[0] & 0xff) == 224 && b[1] == 0 && b[2] == 0;
    }
    return (b[0] & 0xff) == 0xff && (b[1] & 0x0f) == 0x02;
  }

  public boolean isLinkLocalUnicast() {
    byte[] b = bytes();
    if (b.length == 4) {
      return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254;
    }
    return (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
  }

  public boolean isGlobalUnicast() {
    byte[] b = bytes();
    if (b.length == 4 && (b[0] & 0xff) == 255 && (b[1] & 0xff) == 255 && (b[2] & 0xff) == 255
        && (b[3] & 0xff) == 255) {
      return false;
    }
    return !isUnspecified() && !isLoopback() && !address.isMulticastAddress() && !isLinkLocalUnicast();
  }

  /** The canonical text (RFC 5952 for IPv6). */
  @Override public String toString() {
    return InetAddresses.toAddrString(address);
  }
}
