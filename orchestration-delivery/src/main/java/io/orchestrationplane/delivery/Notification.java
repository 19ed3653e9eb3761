package io.orchestrationplane.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@code notify} step sends.
 *
 * @param application {@code <namespace>.<name>}
 * @param release the release number
 * @param digest the release's digest
 * @param workflow the workflow's name
 * @param step the notify step's name
 * @param message the step's message
 * @param author who started the release
 * @param time when it was sent, on the delivery's clock
 */
public record Notification(String application, long release, String digest, String workflow, String step,
    String message, String author, Instant time) {
  public Notification {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(time, "time");
  }
}
