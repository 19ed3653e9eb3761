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
    int h = text.hashCode();
    int slot = (h ^ (h >>> 16)) & (slots.length - 1);
    String seen = slots[slot];
    if (seen != null && seen.equals(text)) {
      return seen;
    }
    slots[slot] = text;
    return text;
  }
}
