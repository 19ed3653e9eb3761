package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.resource.Json;
import java.time.Duration;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error answer that a cluster's API server gives instead of doing a call, as a Kubernetes API
 * server sends it: the HTTP {@code status}, a {@code Status} body carrying {@code reason} and
 * {@code message} (and {@code details.retryAfterSeconds} when {@code retryAfter} is set), and a
 * {@code Retry-After} header in seconds when {@code retryAfter} is set. {@link
 * ClusterDriverConformance} hands these to a driver's {@link
 * ClusterDriverConformance#failEveryRequest} hook to check how the driver maps them onto
 * {@link io.orchestrationplane.core.cluster.ClusterException.Reason}s.
 *
 * <pre>{@code
 * ServerError.tooManyRequests(Duration.ofSeconds(7)).statusJson();
 * // {"apiVersion":"v1","kind":"Status","status":"Failure","code":429,"reason":"TooManyRequests",...}
 * }</pre>
 *
 * @param status the HTTP status, 400 to 599
 * @param reason the Status reason ({@code NotFound}, {@code Conflict}, {@code AlreadyExists},
 *     {@code Expired}, {@code TooManyRequests}, {@code InternalError}, ...)
 * @param message the Status message
 * @param retryAfter how long the server asks callers to wait, whole seconds; {@code null} when it
 *     does not say
 */
public record ServerError(int status, String reason, String message, Duration retryAfter) {

  public ServerError {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP error status (400 to 599), got " + status);
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank");
    }
    Objects.requireNonNull(message, "message");
    if (retryAfter != null && (retryAfter.isNegative() || retryAfter.isZero() || retryAfter.toNanos() % 1_000_000_000L != 0)) {
      throw new IllegalArgumentException("retryAfter must be a positive number of whole seconds, got " + retryAfter);
    }
  }

  /** 404 NotFound. */
  public static ServerError notFound() {
    return new ServerError(404, "NotFound", "the server could not find the requested resource", null);
  }

  /** 409 AlreadyExists: a create found an object of that name. */
  public static ServerError alreadyExists() {
    return new ServerError(409, "AlreadyExists", "object already exists", null);
  }

  /** 409 Conflict: the object has been modified since it was read. */
  public static ServerError conflict() {
    return new ServerError(409, "Conflict",
        "the object has been modified; please apply your changes to the latest version and try again", null);
  }

  /** 410 Expired: the resourceVersion a list or watch started from is too old. */
  public static ServerError gone() {
    return new ServerError(410, "Expired", "too old resource version", null);
  }

  /** 422 Invalid: the object fails validation. */
  public static ServerError invalid() {
    return new ServerError(422, "Invalid", "metadata.name: Invalid value", null);
  }

  /** 403 Forbidden. */
  public static ServerError forbidden() {
    return new ServerError(403, "Forbidden", "the caller may not do this", null);
  }

  /** 429 TooManyRequests, asking callers to wait {@code retryAfter} (whole seconds). */
  public static ServerError tooManyRequests(Duration retryAfter) {
    return new ServerError(429, "TooManyRequests", "too many requests, please try again later",
        Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /** 500 InternalError. */
  public static ServerError internalError() {
    return new ServerError(500, "InternalError", "etcd leader changed", null);
  }

  /** 503 ServiceUnavailable. */
  public static ServerError serviceUnavailable() {
    return new ServerError(503, "ServiceUnavailable", "the server is currently unable to handle the request", null);
  }

  /** 504 Timeout: the server could not finish the call in time. */
  public static ServerError gatewayTimeout() {
    return new ServerError(504, "Timeout", "the server was unable to return a response in the time allotted", null);
  }

  /** The Kubernetes {@code Status} object of this answer, as JSON. */
  public String statusJson() {
    ObjectNode body = Json.object();
    body.put("apiVersion", "v1");
    body.put("kind", "Status");
    body.putObject("metadata");
    body.put("status", "Failure");
    body.put("code", status);
    body.put("reason", reason);
    body.put("message", message);
    if (retryAfter != null) {
      body.putObject("details").put("retryAfterSeconds", retryAfter.toSeconds());
    }
    return Json.writeJson(body);
  }
}
