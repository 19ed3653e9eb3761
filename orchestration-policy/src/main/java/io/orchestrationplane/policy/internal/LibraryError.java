package io.orchestrationplane.policy.internal;

/**
 * A library function's own error, whose message is what the policy author should read (CEL otherwise reports
 * only that the function failed and with which arguments).
 */
final class LibraryError extends IllegalArgumentException {
  LibraryError(String message) {
    super(message);
  }

  LibraryError(String message, Throwable cause) {
    super(message, cause);
  }
}
