package io.orchestrationplane.gitops.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text before it reaches a message, status or log: each secret, its
 * URL-encoded and Base64 forms (an HTTP library may quote an {@code Authorization} header) and any
 * user information of a URL ({@code https://user:token@host}). Immutable and thread-safe.
 */
public final class Scrubber {
  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]*@");
  private final List<String> secrets;

  public Scrubber(List<String> secrets, @Nullable String username) {
    List<String> all = new ArrayList<>();
    for (String s : secrets) {
      if (s.length() >= 4) {
        all.add(s);
        all.add(java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
        if (username != null) {
          all.add(Base64.getEncoder().encodeToString((username + ":" + s).getBytes(StandardCharsets.UTF_8)));
        }
      } else if (!s.isEmpty()) {
        all.add(s);
      }
    }
    all.sort((a, b) -> b.length() - a.length());
    this.secrets = List.copyOf(all);
  }

  public static Scrubber none() {
    return new Scrubber(List.of(), null);
  }

  public String scrub(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String out = USER_INFO.matcher(text).replaceAll("$1***@");
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }

  /** The messages of a throwable and its causes, scrubbed, joined by {@code ": "}, without repeats. */
  public String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    List<String> seen = new ArrayList<>();
    for (Throwable c = t; c != null && seen.size() < 5; c = c.getCause()) {
      String m = c.getMessage();
      if (m == null || m.isBlank()) {
        m = c.getClass().getSimpleName();
      }
      m = scrub(m.strip());
      String prev = seen.isEmpty() ? "" : seen.get(seen.size() - 1);
      if (!prev.contains(m)) {
        if (sb.length() > 0) {
          sb.append(": ");
        }
        sb.append(m);
        seen.add(m);
      }
    }
    return sb.toString();
  }
}
