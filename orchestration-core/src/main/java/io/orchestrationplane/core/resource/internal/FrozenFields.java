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
 * The fields of a read-only JSON object, in insertion order, held as one array of alternating
 * names and values: about 8 bytes per field where a {@code LinkedHashMap} takes about 44 (its
 * entry and table slot), for the trees a {@code Resource} keeps for long (in plans, in the
 * drivers' caches and informer stores).
 *
 * <p>It behaves as an unmodifiable {@link Map}: iteration follows insertion order, and {@link
 * #equals} and {@link #hashCode} follow {@code Map}'s contract, so an object node over it equals
 * one over a {@code LinkedHashMap} with the same fields and hashes alike. Every method that would
 * change it throws {@link UnsupportedOperationException} (those Java's defaults implement through
 * {@code put}, {@code remove} or {@code Entry.setValue} throw as soon as they would change
 * something). Lookups scan the names for up to {@value #SCAN_LIMIT} fields and go through an
 * open-addressing index of positions above that (held by a subclass, so that the common small
 * object costs its array and a 16-byte header only). The hash is not kept here: the read-only
 * object node over the fields keeps it ({@link FrozenJson}).
 *
 * <p>Immutable and thread-safe, provided its values are (a {@link FrozenJson} tree's are).
 */
public sealed class FrozenFields implements Map<String, JsonNode> permits FrozenFields.Indexed {
  /** Up to this many fields a lookup scans the names; above it an index finds them. */
  static final int SCAN_LIMIT = 8;

  private static final String READ_ONLY =
      "a Resource's tree is read-only: change a copy (Resource.edit, Resource.toJson or JsonNode.deepCopy)";

  /** name0, value0, name1, value1, ...: names are non-null distinct strings, values non-null nodes. */
  private final Object[] namesAndValues;

  private FrozenFields(Object[] namesAndValues) {
    this.namesAndValues = namesAndValues;
  }

  /** Fields of an object with more than {@link #SCAN_LIMIT} of them, found through an index. */
  static final class Indexed extends FrozenFields {
    /** Slot to field position + 1 (0 is free), a power-of-two size. */
    private final int[] index;

    private Indexed(Object[] namesAndValues, int[] index) {
      super(namesAndValues);
      this.index = index;
    }
  }

  /**
   * The fields {@code namesAndValues} holds (name, value, name, value, ...), which this map takes
   * over: the caller must not keep or change the array. Throws {@link IllegalArgumentException}
   * for an odd length, a name that is not a string, a duplicate name, or a value that is not a
   * {@code JsonNode}.
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
    int[] index = null;
    if (size > SCAN_LIMIT) {
      index = new int[Integer.highestOneBit(size * 2 - 1) << 1];
      int mask = index.length - 1;
      for (int pos = 0; pos < size; pos++) {
        String name = (String) namesAndValues[2 * pos];
        int slot = spread(name.hashCode()) & mask;
        while (index[slot] != 0) {
          if (namesAndValues[2 * (index[slot] - 1)].equals(name)) {
            throw new IllegalArgumentException("duplicate field name " + name);
          }
          slot = (slot + 1) & mask;
        }
        index[slot] = pos + 1;
      }
    } else {
      for (int i = 2; i < namesAndValues.length; i += 2) {
        for (int j = 0; j < i; j += 2) {
          if (namesAndValues[i].equals(namesAndValues[j])) {
            throw new IllegalArgumentException("duplicate field name " + namesAndValues[i]);
          }
        }
      }
    }
    return index == null ? new FrozenFields(namesAndValues) : new Indexed(namesAndValues, index);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The position of the field named {@code key}, or -1. */
  private int position(@Nullable Object key) {
    if (!(key instanceof String name)) {
      return -1;
    }
    Object[] nv = namesAndValues;
    int h = name.hashCode();
    int[] idx = this instanceof Indexed indexed ? indexed.index : null;
    if (idx == null) {
      for (int i = 0; i < nv.length; i += 2) {
        Object n = nv[i];
        if (n == name || (n.hashCode() == h && n.equals(name))) {
          return i >> 1;
        }
      }
      return -1;
    }
    int mask = idx.length - 1;
    for (int slot = spread(h) & mask; idx[slot] != 0; slot = (slot + 1) & mask) {
      Object n = nv[2 * (idx[slot] - 1)];
      if (n == name || (n.hashCode() == h && n.equals(name))) {
        return idx[slot] - 1;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return namesAndValues.length >> 1;
  }

  @Override
  public boolean isEmpty() {
    return namesAndValues.length == 0;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return position(key) >= 0;
  }

  @Override
  public boolean containsValue(@Nullable Object value) {
    for (int i = 1; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i].equals(value)) {
        return true;
      }
    }
    return false;
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
        return new Cursor<>(0) {
          @Override
          String at(int i) {
            return (String) namesAndValues[i];
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
        return new Cursor<>(1) {
          @Override
          JsonNode at(int i) {
            return (JsonNode) namesAndValues[i];
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
        return new Cursor<>(0) {
          @Override
          Map.Entry<String, JsonNode> at(int i) {
            return new AbstractMap.SimpleImmutableEntry<>((String) namesAndValues[i], (JsonNode) namesAndValues[i + 1]);
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

  /** Walks the array two by two from {@code start} (0 for names, 1 for values); cannot remove. */
  private abstract class Cursor<T> implements Iterator<T> {
    private int next;

    Cursor(int start) {
      this.next = start;
    }

    abstract T at(int i);

    @Override
    public boolean hasNext() {
      return next < namesAndValues.length;
    }

    @Override
    public T next() {
      if (next >= namesAndValues.length) {
        throw new NoSuchElementException();
      }
      T item = at(next);
      next += 2;
      return item;
    }
  }

  /**
   * {@code Map}'s equality: the same names with equal values, in any order. Against another
   * {@code FrozenFields}, while the names come in the same order it compares field by field
   * without lookups (the object nodes over two of them answer at once when their hashes are known
   * to differ).
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Map<?, ?> other) || other.size() != size()) {
      return false;
    }
    Object[] nv = namesAndValues;
    int from = 0;
    if (o instanceof FrozenFields f) {
      Object[] onv = f.namesAndValues;
      for (; from < nv.length; from += 2) {
        Object n = nv[from];
        if (n != onv[from] && !n.equals(onv[from])) {
          break; // another order from here on: look the rest up
        }
        if (!nv[from + 1].equals(onv[from + 1])) {
          return false;
        }
      }
    }
    try {
      for (int i = from; i < nv.length; i += 2) {
        Object value = other.get(nv[i]);
        if (value == null || !nv[i + 1].equals(value)) {
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
    Object[] nv = namesAndValues;
    for (int i = 0; i < nv.length; i += 2) {
      h += nv[i].hashCode() ^ nv[i + 1].hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.append(i == 0 ? "" : ", ").append(namesAndValues[i]).append('=').append(namesAndValues[i + 1]);
    }
    return out.append('}').toString();
  }
}
