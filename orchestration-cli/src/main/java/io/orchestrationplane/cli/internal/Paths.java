package io.orchestrationplane.cli.internal;

import java.nio.file.Path;

/** How files are named in output: relative to the working directory when inside it, with {@code /}. */
final class Paths {
  private Paths() {}

  static String display(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    Path shown = abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
    return shown.toString().replace('\\', '/');
  }

  /**
   * A SARIF {@code artifactLocation.uri}: a relative URI reference (resolved against the
   * repository root by code-scanning tools) when inside the working directory, else a {@code file:} URI.
   */
  static String uri(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (abs.startsWith(cwd) && !abs.equals(cwd)) {
      StringBuilder sb = new StringBuilder();
      for (Path part : cwd.relativize(abs)) {
        if (sb.length() > 0) {
          sb.append('/');
        }
        sb.append(java.net.URLEncoder.encode(part.toString(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
      }
      return sb.toString();
    }
    return abs.toUri().toString();
  }
}
