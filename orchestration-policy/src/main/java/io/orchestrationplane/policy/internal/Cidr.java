package io.orchestrationplane.policy.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP prefix ({@code 10.0.0.0/8}) as Kubernetes' CEL {@code cidr} library sees it. */
public record Cidr(IpAddress ip, int prefixLength) {
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("network address parse error during conversion from string: no '/' in '" + text + "'");
    }
    IpAddress ip = IpAddress.parse(text.substring(0, slash));
    String bits = text.substring(slash + 1);
    if (!bits.matches("0|[1-9][0-9]{0,2}")) {
      throw new IllegalArgumentException("network address parse error during conversion from string: bad prefix length in '" + text + "'");
    }
    int prefix = Integer.parseInt(bits);
    if (prefix > ip.bytes().length * 8) {
      throw new IllegalArgumentException("network address parse error during conversion from string: prefix length too large in '" + text + "'");
    }
    return new Cidr(ip, prefix);
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public boolean contains(IpAddress other) {
    byte[] a = ip.bytes();
    byte[] b = other.bytes();
    if (a.length != b.length) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  public boolean contains(Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.ip);
  }

  public Cidr masked() {
    byte[] a = ip.bytes().clone();
    for (int bit = prefixLength; bit < a.length * 8; bit++) {
      a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return new Cidr(new IpAddress(InetAddress.getByAddress(a)), prefixLength);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public String toString() {
    return ip + "/" + prefixLength;
  }
}
