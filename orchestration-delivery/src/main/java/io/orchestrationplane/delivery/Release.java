package io.orchestrationplane.delivery;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import java.time.Instant;
import java.util.Objects;

/**
 * One immutable release of an application: what {@link Delivery#start} was given, numbered per
 * application and identified by its digest. Every environment a run promotes it to gets exactly
 * this model, never a re-render of whatever the source says later.
 *
 * @param application {@code <namespace>.<name>}
 * @param number 1, 2, 3... per application
 * @param digest {@code hmac-sha256:} of the model's canonical JSON, keyed by a key kept in the
 *     store (so that the digest confirms no guessed secret)
 * @param author who started it; an approval rule keeps the author from approving it
 * @param time when it was started, on the delivery's clock
 * @param origin where the model came from
 * @param model the application as given (holding whatever secrets it holds: do not print it)
 */
public record Release(String application, long number, String digest, Subject author, Instant time, Origin origin,
    Application model) {
  public Release {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(model, "model");
  }

  /** The digest's first 12 hex digits, for logs. */
  public String shortDigest() {
    int colon = digest.indexOf(':');
    return digest.substring(colon + 1, Math.min(digest.length(), colon + 13));
  }

  @Override
  public String toString() {
    return "Release[" + application + " #" + number + " " + shortDigest() + " by " + author.name() + " from "
        + origin.describe() + "]";
  }
}
