package io.orchestrationplane.policy.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code net/netip} address and prefix parsing, with Go's error texts, because Kubernetes' {@code ip} and
 * {@code cidr} CEL libraries report those texts verbatim.
 */
public final class GoNetip {
  private GoNetip() {}

  /** A parsed address: 4 or 16 bytes and the zone (empty when none). */
  public record Addr(byte[] bytes, String zone) {}

  private static final class ParseFailure extends IllegalArgumentException {
    ParseFailure(String in, String msg, @Nullable String at) {
      super("ParseAddr(" + GoText.quote(in) + "): " + msg + (at == null || at.isEmpty() ? "" : " (at "
          + GoText.quote(at) + ")"));
    }
  }

  /** Go's {@code ParseAddr} error text for {@code s}, or null when it parses. */
  public static @Nullable String parseError(String s) {
    try {
      parseAddr(s);
      return null;
    } catch (ParseFailure e) {
      return e.getMessage();
    }
  }

  /** Go's {@code netip.ParseAddr}; throws {@link IllegalArgumentException} with Go's text. */
  public static Addr parseAddr(String s) {
    for (int i = 0; i < s.length(); i++) {
      switch (s.charAt(i)) {
        case '.':
          byte[] v4 = new byte[4];
          parseIPv4Fields(s, 0, s.length(), v4, 0);
          return new Addr(v4, "");
        case ':':
          return parseIPv6(s);
        case '%':
          throw new ParseFailure(s, "missing IPv6 address", null);
        default:
          break;
      }
    }
    throw new ParseFailure(s, "unable to parse IP", null);
  }

  private static void parseIPv4Fields(String in, int off, int end, byte[] fields, int at) {
    int val = 0;
    int pos = 0;
    int digLen = 0;
    String s = in.substring(off, end);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digLen == 1 && val == 0) {
          throw new ParseFailure(in, "IPv4 field has octet with leading zero", null);
        }
        val = val * 10 + (c - '0');
        digLen++;
        if (val > 255) {
          throw new ParseFailure(in, "IPv4 field has value >255", null);
        }
      } else if (c == '.') {
        if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') {
          throw new ParseFailure(in, "IPv4 field must have at least one digit", s.substring(i));
        }
        if (pos == 3) {
          throw new ParseFailure(in, "IPv4 address too long", null);
        }
        fields[at + pos++] = (byte) val;
        val = 0;
        digLen = 0;
      } else {
        throw new ParseFailure(in, "unexpected character", s.substring(i));
      }
    }
    if (pos < 3) {
      throw new ParseFailure(in, "IPv4 address too short", null);
    }
    fields[at + 3] = (byte) val;
  }

  private static Addr parseIPv6(String in) {
    String s = in;
    String zone = "";
    int pct = s.indexOf('%');
    if (pct >= 0) {
      zone = s.substring(pct + 1);
      s = s.substring(0, pct);
      if (zone.isEmpty()) {
        throw new ParseFailure(in, "zone must be a non-empty string", null);
      }
    }
    byte[] ip = new byte[16];
    int ellipsis = -1;
    if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      ellipsis = 0;
      s = s.substring(2);
      if (s.isEmpty()) {
        return new Addr(ip, zone);
      }
    }
    int i = 0;
    while (i < 16) {
      int off = 0;
      int acc = 0;
      for (; off < s.length(); off++) {
        char c = s.charAt(off);
        if (c >= '0' && c <= '9') {
          acc = (acc << 4) + (c - '0');
        } else if (c >= 'a' && c <= 'f') {
          acc = (acc << 4) + (c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
          acc = (acc << 4) + (c - 'A' + 10);
        } else {
          break;
        }
        if (off > 3) {
          throw new ParseFailure(in, "each group must have 4 or less digits", s);
        }
        if (acc > 0xffff) {
          throw new ParseFailure(in, "IPv6 field has value >=2^16", s);
        }
      }
      if (off == 0) {
        throw new ParseFailure(in, "each colon-separated field must have at least one digit", s);
      }
      if (off < s.length() && s.charAt(off) == '.') {
        if (ellipsis < 0 && i != 12) {
          throw new ParseFailure(in, "embedded IPv4 address must replace the final 2 fields of the address", s);
        }
        if (i + 4 > 16) {
          throw new ParseFailure(in, "too many hex fields to fit an embedded IPv4 at the end of the address", s);
        }
        int end = in.length() - (zone.isEmpty() ? 0 : zone.length() + 1);
        parseIPv4Fields(in, end - s.length(), end, ip, i);
        s = "";
        i += 4;
        break;
      }
      ip[i] = (byte) (acc >> 8);
      ip[i + 1] = (byte) acc;
      i += 2;
      s = s.substring(off);
      if (s.isEmpty()) {
        break;
      }
      if (s.charAt(0) != ':') {
        throw new ParseFailure(in, "unexpected character, want colon", s);
      } else if (s.length() == 1) {
        throw new ParseFailure(in, "colon must be followed by more characters", s);
      }
      s = s.substring(1);
      if (s.charAt(0) == ':') {
        if (ellipsis >= 0) {
          throw new ParseFailure(in, "multiple :: in address", s);
        }
        ellipsis = i;
        s = s.substring(1);
        if (s.isEmpty()) {
          break;
        }
      }
    }
    if (!s.isEmpty()) {
      throw new ParseFailure(in, "trailing garbage after address", s);
    }
    if (i < 16) {
      if (ellipsis < 0) {
        throw new ParseFailure(in, "address string too short", null);
      }
      int n = 16 - i;
      for (int j = i - 1; j >= ellipsis; j--) {
        ip[j + n] = ip[j];
      }
      Arrays.fill(ip, ellipsis, ellipsis + n, (byte) 0);
    } else if (ellipsis >= 0) {
      throw new ParseFailure(in, "the :: must expand to at least one field of zeros", s);
    }
    return new Addr(ip, zone);
  }

  /**
   * Go's {@code netip.ParsePrefix} error text for {@code s} (e.g. {@code netip.ParsePrefix("1.2.3.4"): no '/'}),
   * or null when it parses; {@code prefix[0]} receives the prefix length.
   */
  public static @Nullable String parsePrefixError(String s, Addr[] addr, int[] prefix) {
    int slash = s.lastIndexOf('/');
    String head = "netip.ParsePrefix(" + GoText.quote(s) + "): ";
    if (slash < 0) {
      return head + "no '/'";
    }
    Addr ip;
    try {
      ip = parseAddr(s.substring(0, slash));
    } catch (ParseFailure e) {
      return head + e.getMessage();
    }
    if (ip.bytes().length == 16 && !ip.zone().isEmpty()) {
      return head + "IPv6 zones cannot be present in a prefix";
    }
    String bits = s.substring(slash + 1);
    if (bits.length() > 1 && (bits.charAt(0) < '1' || bits.charAt(0) > '9')) {
      return head + "bad bits after slash: " + GoText.quote(bits);
    }
    int n;
    if (!bits.matches("[+-]?[0-9]{1,10}")) {
      return head + "bad bits after slash: " + GoText.quote(bits);
    }
    long parsed = Long.parseLong(bits.startsWith("+") ? bits.substring(1) : bits);
    int max = ip.bytes().length * 8;
    if (parsed < 0 || parsed > max) {
      return head + "prefix length out of range";
    }
    n = (int) parsed;
    addr[0] = ip;
    prefix[0] = n;
    return null;
  }

  /** Go's {@code Addr.String()} for 4 or 16 bytes (no zone). */
  public static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int zeroStart = -1;
    int zeroEnd = -1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && group(b, j) == 0) {
        j++;
      }
      if (j - i >= 2 && j - i > zeroEnd - zeroStart) {
        zeroStart = i;
        zeroEnd = j;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == zeroStart) {
        out.append("::");
        i = zeroEnd;
        if (i >= 8) {
          break;
        }
      } else if (i > 0) {
        out.append(':');
      }
      out.append(Integer.toHexString(group(b, i)));
    }
    return out.toString();
  }

  private static int group(byte[] b, int i) {
    return ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
  }
}
