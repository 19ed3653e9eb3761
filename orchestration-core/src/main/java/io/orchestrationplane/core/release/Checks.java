package io.orchestrationplane.core.release;

/** Argument checks shared by this package's values. */
final class Checks {
  private Checks() {}

  /** {@code value} when it has at most {@code max} characters and no control characters (and is not blank unless allowed). */
  static String text(String value, String what, int max, boolean blankAllowed) {
    if (value == null) {
      throw new NullPointerException(what);
    }
    if (!blankAllowed && value.isBlank()) {
      throw new IllegalArgumentException("the " + what + " must not be blank");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException("the " + what + " must have at most " + max + " characters, had "
          + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("the " + what + " must not contain control characters (at index " + i + ")");
      }
    }
    return value;
  }
}
