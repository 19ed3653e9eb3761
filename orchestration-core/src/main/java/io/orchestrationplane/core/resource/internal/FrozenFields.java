package io.orchestrationplane.core.resource.internal;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The fields of a read-only JSON object, in insertion order, for the trees a {@code Resource}
 * keeps for long (in plans, in the drivers' caches and informer stores). An object of up to 4
 * fields (most of a Kubernetes object's nested objects) holds its names and values in fields of
 * its own: 24 bytes for 1 field, 32 for 2, 40 for 3, 48 for 4. A larger one holds one array of alternating
 * names and values, about 8 bytes per field plus 32 where a {@code LinkedHashMap} takes about 44
 * per field (its entry and table slot).
 *
 * <p>It behaves as an unmodifiable {@link Map}: iteration follows insertion order, and {@link
 * #equals} and {@link #hashCode} follow {@code Map}'s contract, so an object node over it equals
 * one over a {@code LinkedHashMap} with the same fields and hashes alike. Every method that would
 * change it throws {@link UnsupportedOperationException} (those Java's defaults implement through
 * {@code put}, {@code remove} or {@code Entry.setValue} throw as soon as they would change
 * something). Lookups compare the names for up to {@value #SCAN_LIMIT} fields and go through an
 * open-addressing index of positions above that. The hash is not kept here: the read-only object
 * node over the fields keeps it ({@link FrozenJson}).
 *
 * <p>Which form holds the fields follows from their number alone, so two maps of the same size
 * are of the same form. Immutable and thread-safe, provided its values are (a {@link FrozenJson}
 * tree's are).
 */
public abstract sealed class FrozenFields implements Map<String, JsonNode>
    permits FrozenFields.One, FrozenFields.Two, FrozenFields.Three, FrozenFields.Four, FrozenFields.Many {
  /** Up to this many fields a lookup compares the names; above it an index finds them. */
  static final int SCAN_LIMIT = 8;

  private static final String READ_ONLY =
      "a Resource's tree is read-only: change a copy (Resource.edit, Resource.toJson or JsonNode.deepCopy)";

  /** The fields of every empty object: there is nothing in it to tell two apart. */
  private static final Many EMPTY = new Many(new Object[0]);

  private FrozenFields() {}

  /**
   * The fields {@code namesAndValues} holds (name, value, name, value, ...), which this map takes
   * over: the caller must not keep or change the array (a map of up to 4 fields copies them out of
   * it). Throws {@link IllegalArgumentException} for an odd length, a name that is not a string, a
   * duplicate name, or a value that is not a {@code JsonNode}.
   */
  public static FrozenFields of(Object[] namesAndValues) {
    if ((namesAndValues.length & 1) != 0) {
      throw new IllegalArgumentException("names and values must alternate, got " + namesAndValues.length + " items");
    }
    int size = namesAndValues.length / 2;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!(namesAndValues[i] instanceof String)) {
        throw new IllegalArgumentException("field " + i / 2 + ": the name must be a string, got " + namesAndValues[i]);
      }
      if (!(namesAndValues[i + 1] instanceof JsonNode)) {
        throw new IllegalArgumentException("field " + namesAndValues[i] + ": the value must be a JsonNode, got "
            + namesAndValues[i + 1]);
      }
    }
    if (size > SCAN_LIMIT) {
      int length = Integer.highestOneBit(size * 2 - 1) << 1;
      // positions + 1 in one byte each while they fit (nearly always: 32 bytes for a 10-field
      // object where ints took 128), in an int each beyond
      byte[] small = size < 255 ? new byte[length] : null;
      int[] large = small == null ? new int[length] : null;
      int mask = length - 1;
      for (int pos = 0; pos < size; pos++) {
        String name = (String) namesAndValues[2 * pos];
        int slot = spread(name.hashCode()) & mask;
        for (int taken; (taken = small != null ? small[slot] & 0xFF : large[slot]) != 0; slot = (slot + 1) & mask) {
          if (namesAndValues[2 * (taken - 1)].equals(name)) {
            throw new IllegalArgumentException("duplicate field name " + name);
          }
        }
        if (small != null) {
          small[slot] = (byte) (pos + 1);
        } else {
          large[slot] = pos + 1;
        }
      }
      return new Indexed(namesAndValues, small, large);
    }
    for (int i = 2; i < namesAndValues.length; i += 2) {
      for (int j = 0; j < i; j += 2) {
        if (namesAndValues[i].equals(namesAndValues[j])) {
          throw new IllegalArgumentException("duplicate field name " + namesAndValues[i]);
        }
      }
    }
    Object[] nv = namesAndValues;
    return switch (size) {
      case 0 -> EMPTY;
      case 1 -> new One((String) nv[0], (JsonNode) nv[1]);
      case 2 -> new Two((String) nv[0], (JsonNode) nv[1], (String) nv[2], (JsonNode) nv[3]);
      case 3 -> new Three((String) nv[0], (JsonNode) nv[1], (String) nv[2], (JsonNode) nv[3], (String) nv[4],
          (JsonNode) nv[5]);
      case 4 -> new Four((String) nv[0], (JsonNode) nv[1], (String) nv[2], (JsonNode) nv[3], (String) nv[4],
          (JsonNode) nv[5], (String) nv[6], (JsonNode) nv[7]);
      default -> new Many(namesAndValues);
    };
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** Whether {@code n}, a field's name, is {@code name}, whose hash is {@code h}. */
  private static boolean named(String n, String name, int h) {
    return n == name || (n.hashCode() == h && n.equals(name));
  }

  /**
   * The name of the field at {@code pos}, which is below {@link #size()}. It tells the forms apart
   * by type (each a single compare) instead of through a virtual call, which iteration's call
   * sites, seeing three forms, could not inline.
   */
  final String nameAt(int pos) {
    if (this instanceof Two t) {
      return t.name(pos);
    }
    if (this instanceof Four f) {
      return f.name(pos);
    }
    if (this instanceof One o) {
      return o.n0;
    }
    if (this instanceof Three t) {
      return t.name(pos);
    }
    return ((Many) this).name(pos);
  }

  /** The value of the field at {@code pos}, which is below {@link #size()}; as {@link #nameAt}. */
  final JsonNode valueAt(int pos) {
    if (this instanceof Two t) {
      return t.value(pos);
    }
    if (this instanceof Four f) {
      return f.value(pos);
    }
    if (this instanceof One o) {
      return o.v0;
    }
    if (this instanceof Three t) {
      return t.value(pos);
    }
    return ((Many) this).value(pos);
  }

  /** The position of the field named {@code key}, or -1. */
  abstract int position(@Nullable Object key);

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return position(key) >= 0;
  }

  @Override
  public boolean containsValue(@Nullable Object value) {
    for (int pos = 0, size = size(); pos < size; pos++) {
      if (valueAt(pos).equals(value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public @Nullable JsonNode put(String key, JsonNode value) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable JsonNode remove(@Nullable Object key) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void putAll(Map<? extends String, ? extends JsonNode> m) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public Set<String> keySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<String> iterator() {
        return new Cursor<>() {
          @Override
          String at(int pos) {
            return nameAt(pos);
          }
        };
      }

      @Override
      public int size() {
        return FrozenFields.this.size();
      }

      @Override
      public boolean contains(@Nullable Object o) {
        return containsKey(o);
      }
    };
  }

  @Override
  public Collection<JsonNode> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<JsonNode> iterator() {
        return new Cursor<>() {
          @Override
          JsonNode at(int pos) {
            return valueAt(pos);
          }
        };
      }

      @Override
      public int size() {
        return FrozenFields.this.size();
      }
    };
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, JsonNode>> iterator() {
        return new Cursor<>() {
          @Override
          Map.Entry<String, JsonNode> at(int pos) {
            return new AbstractMap.SimpleImmutableEntry<>(nameAt(pos), valueAt(pos));
          }
        };
      }

      @Override
      public int size() {
        return FrozenFields.this.size();
      }

      @Override
      public boolean contains(@Nullable Object o) {
        if (!(o instanceof Map.Entry<?, ?> e)) {
          return false;
        }
        JsonNode value = get(e.getKey());
        return value != null && value.equals(e.getValue());
      }
    };
  }

  /** Walks the fields in order; cannot remove. */
  private abstract class Cursor<T> implements Iterator<T> {
    private final int size = size();
    private int next;

    abstract T at(int pos);

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public T next() {
      if (next >= size) {
        throw new NoSuchElementException();
      }
      return at(next++);
    }
  }

  /**
   * {@code Map}'s equality: the same names with equal values, in any order. Against another
   * {@code FrozenFields} (of the same form, being of the same size), while the names come in the
   * same order it compares field by field without lookups (the object nodes over two of them
   * answer at once when their hashes are known to differ).
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Map<?, ?> other) || other.size() != size()) {
      return false;
    }
    int from = 0;
    if (o instanceof FrozenFields f) {
      for (int size = size(); from < size; from++) {
        String n = nameAt(from);
        String on = f.nameAt(from);
        if (n != on && !n.equals(on)) {
          break; // another order from here on: look the rest up
        }
        if (!valueAt(from).equals(f.valueAt(from))) {
          return false;
        }
      }
    }
    return equalsFrom(other, from);
  }

  /** Whether {@code other}, of the same size, holds each field from position {@code from} on. */
  final boolean equalsFrom(Map<?, ?> other, int from) {
    try {
      for (int pos = from, size = size(); pos < size; pos++) {
        Object value = other.get(nameAt(pos));
        if (value == null || !valueAt(pos).equals(value)) {
          return false;
        }
      }
    } catch (ClassCastException | NullPointerException e) {
      return false; // a map whose keys are not strings, as AbstractMap.equals answers
    }
    return true;
  }

  /** {@code Map}'s hash: the sum over the fields of the name's hash XOR the value's. */
  @Override
  public int hashCode() {
    int h = 0;
    for (int pos = 0, size = size(); pos < size; pos++) {
      h += nameAt(pos).hashCode() ^ valueAt(pos).hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int pos = 0, size = size(); pos < size; pos++) {
      out.append(pos == 0 ? "" : ", ").append(nameAt(pos)).append('=').append(valueAt(pos));
    }
    return out.append('}').toString();
  }

  /** One field, held in fields of its own (24 bytes): the most common object of one field is nested in another. */
  static final class One extends FrozenFields {
    private final String n0;
    private final JsonNode v0;

    private One(String n0, JsonNode v0) {
      this.n0 = n0;
      this.v0 = v0;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    int position(@Nullable Object key) {
      return key instanceof String name && named(n0, name, name.hashCode()) ? 0 : -1;
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object key) {
      return key instanceof String name && named(n0, name, name.hashCode()) ? v0 : null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
      action.accept(n0, v0);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o instanceof One t && t != this) {
        return (n0 == t.n0 || n0.equals(t.n0)) && v0.equals(t.v0);
      }
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      return n0.hashCode() ^ v0.hashCode();
    }
  }

  /** Two fields, held in fields of its own (32 bytes). */
  static final class Two extends FrozenFields {
    private final String n0;
    private final JsonNode v0;
    private final String n1;
    private final JsonNode v1;

    private Two(String n0, JsonNode v0, String n1, JsonNode v1) {
      this.n0 = n0;
      this.v0 = v0;
      this.n1 = n1;
      this.v1 = v1;
    }

    @Override
    public int size() {
      return 2;
    }

    String name(int pos) {
      return pos == 0 ? n0 : n1;
    }

    JsonNode value(int pos) {
      return pos == 0 ? v0 : v1;
    }

    @Override
    int position(@Nullable Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      int h = name.hashCode();
      return named(n0, name, h) ? 0 : named(n1, name, h) ? 1 : -1;
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object key) {
      if (key instanceof String name) {
        int h = name.hashCode();
        if (named(n0, name, h)) {
          return v0;
        }
        if (named(n1, name, h)) {
          return v1;
        }
      }
      return null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
      action.accept(n0, v0);
      action.accept(n1, v1);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o instanceof Two t && t != this) {
        if (n0 != t.n0 && !n0.equals(t.n0)) {
          return equalsFrom(t, 0);
        }
        if (!v0.equals(t.v0)) {
          return false;
        }
        return n1 == t.n1 || n1.equals(t.n1) ? v1.equals(t.v1) : equalsFrom(t, 1);
      }
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      return (n0.hashCode() ^ v0.hashCode()) + (n1.hashCode() ^ v1.hashCode());
    }
  }

  /** Three fields, held in fields of its own (40 bytes). */
  static final class Three extends FrozenFields {
    private final String n0;
    private final JsonNode v0;
    private final String n1;
    private final JsonNode v1;
    private final String n2;
    private final JsonNode v2;

    private Three(String n0, JsonNode v0, String n1, JsonNode v1, String n2, JsonNode v2) {
      this.n0 = n0;
      this.v0 = v0;
      this.n1 = n1;
      this.v1 = v1;
      this.n2 = n2;
      this.v2 = v2;
    }

    @Override
    public int size() {
      return 3;
    }

    String name(int pos) {
      return pos == 0 ? n0 : pos == 1 ? n1 : n2;
    }

    JsonNode value(int pos) {
      return pos == 0 ? v0 : pos == 1 ? v1 : v2;
    }

    @Override
    int position(@Nullable Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      int h = name.hashCode();
      return named(n0, name, h) ? 0 : named(n1, name, h) ? 1 : named(n2, name, h) ? 2 : -1;
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object key) {
      if (key instanceof String name) {
        int h = name.hashCode();
        if (named(n0, name, h)) {
          return v0;
        }
        if (named(n1, name, h)) {
          return v1;
        }
        if (named(n2, name, h)) {
          return v2;
        }
      }
      return null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
      action.accept(n0, v0);
      action.accept(n1, v1);
      action.accept(n2, v2);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o instanceof Three f && f != this) {
        if (n0 != f.n0 && !n0.equals(f.n0)) {
          return equalsFrom(f, 0);
        }
        if (!v0.equals(f.v0)) {
          return false;
        }
        if (n1 != f.n1 && !n1.equals(f.n1)) {
          return equalsFrom(f, 1);
        }
        if (!v1.equals(f.v1)) {
          return false;
        }
        return n2 == f.n2 || n2.equals(f.n2) ? v2.equals(f.v2) : equalsFrom(f, 2);
      }
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      return (n0.hashCode() ^ v0.hashCode()) + (n1.hashCode() ^ v1.hashCode()) + (n2.hashCode() ^ v2.hashCode());
    }
  }

  /** Four fields, held in fields of its own (48 bytes). */
  static final class Four extends FrozenFields {
    private final String n0;
    private final JsonNode v0;
    private final String n1;
    private final JsonNode v1;
    private final String n2;
    private final JsonNode v2;
    private final String n3;
    private final JsonNode v3;

    private Four(String n0, JsonNode v0, String n1, JsonNode v1, String n2, JsonNode v2, String n3, JsonNode v3) {
      this.n0 = n0;
      this.v0 = v0;
      this.n1 = n1;
      this.v1 = v1;
      this.n2 = n2;
      this.v2 = v2;
      this.n3 = n3;
      this.v3 = v3;
    }

    @Override
    public int size() {
      return 4;
    }

    String name(int pos) {
      return switch (pos) {
        case 0 -> n0;
        case 1 -> n1;
        case 2 -> n2;
        default -> n3;
      };
    }

    JsonNode value(int pos) {
      return switch (pos) {
        case 0 -> v0;
        case 1 -> v1;
        case 2 -> v2;
        default -> v3;
      };
    }

    @Override
    int position(@Nullable Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      int h = name.hashCode();
      if (named(n0, name, h)) {
        return 0;
      }
      if (named(n1, name, h)) {
        return 1;
      }
      if (named(n2, name, h)) {
        return 2;
      }
      return named(n3, name, h) ? 3 : -1;
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object key) {
      if (key instanceof String name) {
        int h = name.hashCode();
        if (named(n0, name, h)) {
          return v0;
        }
        if (named(n1, name, h)) {
          return v1;
        }
        if (named(n2, name, h)) {
          return v2;
        }
        if (named(n3, name, h)) {
          return v3;
        }
      }
      return null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
      action.accept(n0, v0);
      action.accept(n1, v1);
      action.accept(n2, v2);
      action.accept(n3, v3);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o instanceof Four f && f != this) {
        if (n0 != f.n0 && !n0.equals(f.n0)) {
          return equalsFrom(f, 0);
        }
        if (!v0.equals(f.v0)) {
          return false;
        }
        if (n1 != f.n1 && !n1.equals(f.n1)) {
          return equalsFrom(f, 1);
        }
        if (!v1.equals(f.v1)) {
          return false;
        }
        if (n2 != f.n2 && !n2.equals(f.n2)) {
          return equalsFrom(f, 2);
        }
        if (!v2.equals(f.v2)) {
          return false;
        }
        return n3 == f.n3 || n3.equals(f.n3) ? v3.equals(f.v3) : equalsFrom(f, 3);
      }
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      return (n0.hashCode() ^ v0.hashCode()) + (n1.hashCode() ^ v1.hashCode()) + (n2.hashCode() ^ v2.hashCode())
          + (n3.hashCode() ^ v3.hashCode());
    }
  }

  /** No fields, or more than 4: one array of alternating names and values. */
  static sealed class Many extends FrozenFields permits Indexed {
    /** name0, value0, name1, value1, ...: names are non-null distinct strings, values non-null nodes. */
    private final Object[] namesAndValues;

    private Many(Object[] namesAndValues) {
      this.namesAndValues = namesAndValues;
    }

    @Override
    public int size() {
      return namesAndValues.length >> 1;
    }

    String name(int pos) {
      return (String) namesAndValues[2 * pos];
    }

    JsonNode value(int pos) {
      return (JsonNode) namesAndValues[2 * pos + 1];
    }

    @Override
    int position(@Nullable Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      Object[] nv = namesAndValues;
      int h = name.hashCode();
      if (!(this instanceof Indexed indexed)) {
        for (int i = 0; i < nv.length; i += 2) {
          if (named((String) nv[i], name, h)) {
            return i >> 1;
          }
        }
        return -1;
      }
      byte[] small = indexed.small;
      if (small != null) {
        int mask = small.length - 1;
        for (int slot = spread(h) & mask, taken; (taken = small[slot] & 0xFF) != 0; slot = (slot + 1) & mask) {
          if (named((String) nv[2 * (taken - 1)], name, h)) {
            return taken - 1;
          }
        }
        return -1;
      }
      int[] large = indexed.large;
      int mask = large.length - 1;
      for (int slot = spread(h) & mask; large[slot] != 0; slot = (slot + 1) & mask) {
        if (named((String) nv[2 * (large[slot] - 1)], name, h)) {
          return large[slot] - 1;
        }
      }
      return -1;
    }

    @Override
    public @Nullable JsonNode get(@Nullable Object key) {
      int pos = position(key);
      return pos < 0 ? null : (JsonNode) namesAndValues[2 * pos + 1];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
      Object[] nv = namesAndValues;
      for (int i = 0; i < nv.length; i += 2) {
        action.accept((String) nv[i], (JsonNode) nv[i + 1]);
      }
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o instanceof Many m && m != this) {
        Object[] nv = namesAndValues;
        Object[] onv = m.namesAndValues;
        if (nv.length != onv.length) {
          return false;
        }
        for (int i = 0; i < nv.length; i += 2) {
          Object n = nv[i];
          if (n != onv[i] && !n.equals(onv[i])) {
            return equalsFrom(m, i >> 1); // another order from here on: look the rest up
          }
          if (!nv[i + 1].equals(onv[i + 1])) {
            return false;
          }
        }
        return true;
      }
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      int h = 0;
      Object[] nv = namesAndValues;
      for (int i = 0; i < nv.length; i += 2) {
        h += nv[i].hashCode() ^ nv[i + 1].hashCode();
      }
      return h;
    }
  }

  /** Fields of an object with more than {@link #SCAN_LIMIT} of them, found through an index. */
  static final class Indexed extends Many {
    /**
     * Slot to field position + 1 (0 is free), a power-of-two size: unsigned bytes for fewer than
     * 255 fields ({@code large} is then null), else ints ({@code small} is null).
     */
    private final byte @Nullable [] small;
    private final int @Nullable [] large;

    private Indexed(Object[] namesAndValues, byte @Nullable [] small, int @Nullable [] large) {
      super(namesAndValues);
      this.small = small;
      this.large = large;
    }
  }
}
