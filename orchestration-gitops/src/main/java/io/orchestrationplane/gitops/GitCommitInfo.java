package io.orchestrationplane.gitops;

import io.orchestrationplane.core.release.Origin;
import java.time.Instant;
import java.util.Objects;

/**
 * A commit a {@link GitRepository} fetched: what status shows and a revision's origin names.
 *
 * @param id the full commit id, lower-case hex
 * @param author the author's name
 * @param authorEmail the author's e-mail address
 * @param time when it was committed (the committer's time)
 * @param message the full commit message
 * @param verification what signature verification said
 */
public record GitCommitInfo(String id, String author, String authorEmail, Instant time, String message,
    Verification verification) {
  public GitCommitInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(authorEmail, "authorEmail");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(verification, "verification");
  }

  /** The first 7 digits of the id. */
  public String shortId() {
    return id.substring(0, 7);
  }

  /** The first line of the message. */
  public String subject() {
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /**
   * This commit as a revision's origin: {@code repository}, {@code path} in it, the author
   * ({@code Name <email>}) and the subject, control characters replaced by spaces and cut to the
   * lengths an origin holds.
   */
  public Origin origin(String repository, String path) {
    return Origin.git(repository, id, path, printable(author + " <" + authorEmail + ">", 512),
        printable(subject(), 1024));
  }

  private static String printable(String text, int max) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }

  /**
   * {@code 3f9c2a1 "Raise replicas" by Alice <alice@example.com>}, control characters replaced by
   * spaces and cut as in {@link #origin}: it goes into status messages and log lines.
   */
  @Override
  public String toString() {
    return shortId() + " \"" + printable(subject(), 1024) + "\" by " + printable(author + " <" + authorEmail + ">", 512);
  }
}
