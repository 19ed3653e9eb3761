package io.orchestrationplane.policy.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as Go's {@code url.ParseRequestURI} reads it (absolute URL or absolute path), for Kubernetes'
 * CEL {@code url} library.
 */
public record KubeUrl(String scheme, String host, String path, String rawQuery) {
  private static final Pattern ABSOLUTE =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#.*)?");

  public static KubeUrl parse(String text) {
    if (text.startsWith("/")) {
      int q = text.indexOf('?');
      return new KubeUrl("", "", q < 0 ? text : text.substring(0, q), q < 0 ? "" : text.substring(q + 1));
    }
    Matcher m = ABSOLUTE.matcher(text);
    if (!m.matches() || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("URL parse error during conversion from string: parse \"" + text
          + "\": invalid URI for request");
    }
    String host = m.group(2) == null ? "" : m.group(2);
    int at = host.lastIndexOf('@');
    if (at >= 0) {
      host = host.substring(at + 1);
    }
    if (host.startsWith("[") && host.indexOf(']') < 0) {
      throw new IllegalArgumentException("URL parse error during conversion from string: missing ']' in host: " + text);
    }
    return new KubeUrl(m.group(1), host, m.group(3), m.group(4) == null ? "" : m.group(4));
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The host without port and without IPv6 brackets. */
  public String hostname() {
    if (host.startsWith("[")) {
      return host.substring(1, host.indexOf(']'));
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  public String port() {
    int close = host.lastIndexOf(']');
    int colon = host.lastIndexOf(':');
    return colon > close ? host.substring(colon + 1) : "";
  }

  /** The path percent-encoded as Go's {@code EscapedPath} does. */
  public String escapedPath() {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 128 || "-._~/!$&'()*+,;=:@%".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  public Map<String, List<String>> query() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }
}
