package io.orchestrationplane.policy.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A URL as Go's {@code net/url} parses it, for Kubernetes' CEL {@code url} library ({@code kubernetes.URL} in CEL):
 * {@code url()} and {@code isURL()} accept what {@code url.ParseRequestURI} accepts (an absolute URL or an absolute
 * path; hosts with characters Go refuses, such as spaces, or ports that are not numbers are errors), and the
 * accessors read what {@code url.Parse} produced, with Go's error texts. Immutable.
 */
public final class GoUrl {
  private final String raw;
  private final String scheme;
  private final String host;
  private final String path;
  private final String rawPath;
  private final String rawQuery;

  private GoUrl(String raw, String scheme, String host, String path, String rawPath, String rawQuery) {
    this.raw = raw;
    this.scheme = scheme;
    this.host = host;
    this.path = path;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
  }

  /** A parse failure with Go's text. */
  static final class ParseError extends IllegalArgumentException {
    ParseError(String message) {
      super(message);
    }
  }

  /** {@code url(s)}: checked with {@code ParseRequestURI}, then parsed with {@code Parse} (which keeps the fragment apart). */
  static GoUrl parseForCel(String s) {
    try {
      parse(s, true, s);
      int hash = s.indexOf('#');
      String withoutFragment = hash < 0 ? s : s.substring(0, hash);
      GoUrl u = parse(withoutFragment, false, withoutFragment);
      if (hash >= 0) {
        unescape(s.substring(hash + 1), Mode.FRAGMENT, s);
      }
      return new GoUrl(s, u.scheme, u.host, u.path, u.rawPath, u.rawQuery);
    } catch (ParseError e) {
      throw new KubeFunctions.Failure("URL parse error during conversion from string: " + e.getMessage());
    }
  }

  /** {@code isURL(s)}: whether {@code ParseRequestURI} accepts it. */
  static boolean isRequestUri(String s) {
    try {
      parse(s, true, s);
      return true;
    } catch (ParseError e) {
      return false;
    }
  }

  /** The error {@code url.ParseRequestURI} reports for {@code s}, or null. */
  static @Nullable String requestUriError(String s) {
    try {
      parse(s, true, s);
      return null;
    } catch (ParseError e) {
      return e.getMessage();
    }
  }

  private enum Mode { PATH, HOST, ZONE, FRAGMENT }

  private static ParseError error(String input, String message) {
    return new ParseError("parse " + GoText.quote(input) + ": " + message);
  }

  private static GoUrl parse(String raw, boolean viaRequest, String input) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw error(input, "net/url: invalid control character in URL");
      }
    }
    if (raw.isEmpty() && viaRequest) {
      throw error(input, "empty url");
    }
    if (raw.equals("*")) {
      return new GoUrl(raw, "", "", "*", "", "");
    }
    String scheme = "";
    String rest = raw;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        continue;
      }
      if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          break;
        }
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          throw error(input, "missing protocol scheme");
        }
        scheme = raw.substring(0, i).toLowerCase(java.util.Locale.ROOT);
        rest = raw.substring(i + 1);
      }
      break;
    }
    String rawQuery = "";
    if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
      rest = rest.substring(0, rest.length() - 1);
    } else {
      int q = rest.indexOf('?');
      if (q >= 0) {
        rawQuery = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        // opaque: "mailto:someone@example.com"
        return new GoUrl(raw, scheme, "", "", "", rawQuery);
      }
      if (viaRequest) {
        throw error(input, "invalid URI for request");
      }
      int slash = rest.indexOf('/');
      String segment = slash < 0 ? rest : rest.substring(0, slash);
      if (segment.contains(":")) {
        throw error(input, "first path segment in URL cannot contain colon");
      }
    }
    String host = "";
    if ((!scheme.isEmpty() || !viaRequest && !rest.startsWith("///")) && rest.startsWith("//")) {
      String authority = rest.substring(2);
      rest = "";
      int slash = authority.indexOf('/');
      if (slash >= 0) {
        rest = authority.substring(slash);
        authority = authority.substring(0, slash);
      }
      host = parseAuthority(authority, input);
    }
    String p = unescape(rest, Mode.PATH, input);
    String escaped = escape(p);
    return new GoUrl(raw, scheme, host, p, escaped.equals(rest) ? "" : rest, rawQuery);
  }

  private static String parseAuthority(String authority, String input) {
    int at = authority.lastIndexOf('@');
    String host = parseHost(at < 0 ? authority : authority.substring(at + 1), input);
    if (at >= 0) {
      String userinfo = authority.substring(0, at);
      for (int i = 0; i < userinfo.length(); i++) {
        char c = userinfo.charAt(i);
        boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "-._:~!$&'()*+,;=%@".indexOf(c) >= 0;
        if (!ok) {
          throw error(input, "net/url: invalid userinfo");
        }
      }
    }
    return host;
  }

  private static String parseHost(String host, String input) {
    if (host.startsWith("[")) {
      int close = host.lastIndexOf(']');
      if (close < 0) {
        throw error(input, "missing ']' in host");
      }
      String colonPort = host.substring(close + 1);
      if (!validOptionalPort(colonPort)) {
        throw error(input, "invalid port " + GoText.quote(colonPort) + " after host");
      }
      int zone = host.substring(0, close).indexOf("%25");
      if (zone >= 0) {
        return unescape(host.substring(0, zone), Mode.HOST, input) + unescape(host.substring(zone, close), Mode.ZONE,
            input) + unescape(host.substring(close), Mode.HOST, input);
      }
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        String colonPort = host.substring(colon);
        if (!validOptionalPort(colonPort)) {
          throw error(input, "invalid port " + GoText.quote(colonPort) + " after host");
        }
      }
    }
    return unescape(host, Mode.HOST, input);
  }

  private static boolean validOptionalPort(String port) {
    if (port.isEmpty()) {
      return true;
    }
    if (port.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static boolean shouldEscape(char c, Mode mode) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return false;
    }
    if (mode == Mode.HOST || mode == Mode.ZONE) {
      if ("!$&'()*+,;=:[]<>\"".indexOf(c) >= 0) {
        return false;
      }
    }
    if ("-_.~".indexOf(c) >= 0) {
      return false;
    }
    if ("$&+,/:;=?@".indexOf(c) >= 0) {
      return switch (mode) {
        case PATH -> c == '?';
        case FRAGMENT -> false;
        default -> true;
      };
    }
    if (mode == Mode.FRAGMENT && "!()*".indexOf(c) >= 0) {
      return false;
    }
    return true;
  }

  /** Go's {@code unescape}: percent-decoding with Go's checks; hosts may only escape non-ASCII bytes. */
  private static String unescape(String s, Mode mode, String input) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c == '%') {
        n++;
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          String bad = s.substring(i, Math.min(s.length(), i + 3));
          throw error(input, "invalid URL escape " + GoText.quote(bad));
        }
        if (mode == Mode.HOST && Integer.parseInt(s.substring(i + 1, i + 3), 16) < 0x80 && !s.startsWith("%25", i)) {
          throw error(input, "invalid URL escape " + GoText.quote(s.substring(i, i + 3)));
        }
        if (mode == Mode.ZONE) {
          int v = Integer.parseInt(s.substring(i + 1, i + 3), 16);
          if (!s.startsWith("%25", i) && v != ' ' && shouldEscape((char) v, Mode.HOST)) {
            throw error(input, "invalid URL escape " + GoText.quote(s.substring(i, i + 3)));
          }
        }
        i += 3;
      } else {
        if ((mode == Mode.HOST || mode == Mode.ZONE) && c < 0x80 && shouldEscape(c, mode)) {
          throw error(input, "invalid character " + GoText.quote(String.valueOf(c)) + " in host name");
        }
        i++;
      }
    }
    if (n == 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%') {
        out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Go's {@code escape(s, encodePath)}. */
  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && !shouldEscape(c, Mode.PATH)) {
        out.append(c);
      } else {
        out.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
      }
    }
    return out.toString();
  }

  String scheme() {
    return scheme;
  }

  String host() {
    return host;
  }

  /** Go's {@code Hostname()}: the host without a valid port and without IPv6 brackets. */
  String hostname() {
    String h = host;
    int colon = h.lastIndexOf(':');
    if (colon >= 0 && validOptionalPort(h.substring(colon))) {
      h = h.substring(0, colon);
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  /** Go's {@code Port()}: the digits after the last colon when they form a valid port, else empty. */
  String port() {
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && validOptionalPort(host.substring(colon))) {
      return host.substring(colon + 1);
    }
    return "";
  }

  /** Go's {@code EscapedPath()}: the path as written when it was validly encoded, else Go's escaping of it. */
  String escapedPath() {
    if (!rawPath.isEmpty()) {
      try {
        if (unescape(rawPath, Mode.PATH, rawPath).equals(path) && validEncoded(rawPath)) {
          return rawPath;
        }
      } catch (ParseError e) {
        // fall through to escaping the decoded path
      }
    }
    if (path.equals("*")) {
      return "*";
    }
    return escape(path);
  }

  private static boolean validEncoded(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("!$&'()*+,;=:@[]%".indexOf(c) >= 0) {
        continue;
      }
      if (shouldEscape(c, Mode.PATH)) {
        return false;
      }
    }
    return true;
  }

  /** Go's {@code Query()}: '&'-separated pairs, '+' as space; pairs with ';' or bad escapes are dropped. */
  Map<String, List<String>> query() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty() || pair.contains(";")) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String k = queryUnescape(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : queryUnescape(pair.substring(eq + 1));
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      } catch (ParseError e) {
        // Go skips the pair
      }
    }
    return out;
  }

  private static String queryUnescape(String s) {
    return unescape(s.replace('+', ' '), Mode.FRAGMENT, s);
  }

  /** The text the URL was parsed from. */
  @Override public String toString() {
    return raw;
  }

  @Override public boolean equals(Object o) {
    return o instanceof GoUrl u && raw.equals(u.raw);
  }

  @Override public int hashCode() {
    return raw.hashCode();
  }
}
