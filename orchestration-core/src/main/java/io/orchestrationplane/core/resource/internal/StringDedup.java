package io.orchestrationplane.core.resource.internal;

/**
 * A bounded, lossy set of recent strings, for values that many long-lived trees repeat (the
 * applied-fields text of objects of one shape, an API group, a creation timestamp): {@link #dedup}
 * answers an equal string seen before if its slot still holds it, else remembers this one and
 * answers it. It never holds more than its size, and never changes what a caller gets, only
 * which of equal strings.
 *
 * <p>Thread-safe without locks: slots are read and written racily, and a race only loses a chance
 * to share (strings are immutable and safely published).
 */
public final class StringDedup {
  private final String[] slots;

  /** A set of {@code size} slots, a power of two. */
  public StringDedup(int size) {
    if (size <= 0 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two, got " + size);
    }
    this.slots = new String[size];
  }

  /** An equal string seen before, or {@code text} itself (remembered in place of its slot's). */
  public String dedup(String text) {
    int slot = slot(text.hashCode());
    String seen = slots[slot];
    if (seen != null && seen.equals(text)) {
      return seen;
    }
    slots[slot] = text;
    return text;
  }

  /**
   * {@link #dedup}{@code (first + separator + second)}, without joining the two when a string equal
   * to the join is still held: its hash is computed from the parts' (as {@link String#hashCode}
   * defines it, so it lands in the slot the joined string would) and it is compared part by part.
   */
  public String dedup(String first, char separator, String second) {
    int n = second.length();
    int h = (first.hashCode() * 31 + separator) * pow31(n) + second.hashCode();
    int slot = slot(h);
    String seen = slots[slot];
    int at = first.length();
    if (seen != null && seen.length() == at + 1 + n && seen.charAt(at) == separator && seen.startsWith(first)
        && seen.startsWith(second, at + 1)) {
      return seen;
    }
    String text = first + separator + second;
    slots[slot] = text;
    return text;
  }

  private int slot(int h) {
    return (h ^ (h >>> 16)) & (slots.length - 1);
  }

  /** 31 to the power {@code n}, in int arithmetic (wrapping as String's hash does). */
  private static int pow31(int n) {
    int result = 1;
    int base = 31;
    for (int e = n; e > 0; e >>= 1) {
      if ((e & 1) != 0) {
        result *= base;
      }
      base *= base;
    }
    return result;
  }
}
