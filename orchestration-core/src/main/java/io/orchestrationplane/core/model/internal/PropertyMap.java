package io.orchestrationplane.core.model.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An unmodifiable, insertion-ordered map from property names to property values, held as one
 * array of alternating names and values: a model keeps one per component, trait and override and
 * one per map nested in their values, for as long as an application is submitted, and a {@code
 * Collections.unmodifiableMap} over a {@code LinkedHashMap} costs about 250 bytes for one entry
 * where this costs 40.
 *
 * <p>It behaves as an unmodifiable {@link Map}: iteration follows insertion order; {@link #equals}
 * and {@link #hashCode} follow {@code Map}'s contract, so it equals a {@code LinkedHashMap} or a
 * {@code Map.of} with the same entries and hashes alike; values may be {@code null}, names may
 * not. Every method that would change it, its views, their iterators or its entries throws {@link
 * UnsupportedOperationException}, whether or not it would change anything. Lookups scan the names
 * for up to {@value #SCAN_LIMIT} entries and go through an open-addressing index of positions
 * above that (held by a subclass, so that the common small map costs its array and a 16-byte
 * header only). No view is cached: {@link #keySet}, {@link #values} and {@link #entrySet} make
 * a small one on each call, whose iteration and streams follow the map's order.
 *
 * <p>Immutable and thread-safe, provided its values are (a model's are).
 */
public sealed class PropertyMap implements Map<String, Object> permits PropertyMap.Indexed {
  /** Up to this many entries a lookup scans the names; above it an index finds them. */
  static final int SCAN_LIMIT = 8;

  /** The map without entries. */
  public static final PropertyMap EMPTY = new PropertyMap(new Object[0]);

  private static final String READ_ONLY = "a model's property map is immutable: change a copy (new LinkedHashMap<>(map))";

  /** name0, value0, name1, value1, ...: names are non-null distinct strings, values anything. */
  private final Object[] namesAndValues;

  private PropertyMap(Object[] namesAndValues) {
    this.namesAndValues = namesAndValues;
  }

  /** A map with more than {@link #SCAN_LIMIT} entries, found through an index. */
  static final class Indexed extends PropertyMap {
    /** Slot to entry position + 1 (0 is free), a power-of-two size. */
    private final int[] index;

    private Indexed(Object[] namesAndValues, int[] index) {
      super(namesAndValues);
      this.index = index;
    }
  }

  /**
   * The map of the first {@code size} entries {@code namesAndValues} holds (name, value, name,
   * value, ...), in that order; the array is taken over, the caller must not keep or change it.
   * A name given twice keeps its first position and takes its last value, as {@code
   * LinkedHashMap.put} would. Throws {@link IllegalArgumentException} when a name is not a
   * string (null included) or the array is shorter than {@code 2 * size}.
   */
  public static PropertyMap of(Object[] namesAndValues, int size) {
    if (size < 0 || namesAndValues.length < 2 * size) {
      throw new IllegalArgumentException(size + " entries do not fit in " + namesAndValues.length + " items");
    }
    if (size == 0) {
      return EMPTY;
    }
    for (int i = 0; i < 2 * size; i += 2) {
      if (!(namesAndValues[i] instanceof String)) {
        throw new IllegalArgumentException("entry " + i / 2 + ": the name must be a string, got " + namesAndValues[i]);
      }
    }
    Object[] nv = namesAndValues;
    int kept = 0; // entries kept so far, at the front of the array
    int[] index = null;
    if (size > SCAN_LIMIT) {
      index = new int[Integer.highestOneBit(size * 2 - 1) << 1];
      int mask = index.length - 1;
      for (int pos = 0; pos < size; pos++) {
        String name = (String) nv[2 * pos];
        int slot = spread(name.hashCode()) & mask;
        while (index[slot] != 0 && !nv[2 * (index[slot] - 1)].equals(name)) {
          slot = (slot + 1) & mask;
        }
        if (index[slot] != 0) {
          nv[2 * (index[slot] - 1) + 1] = nv[2 * pos + 1]; // a name again: its last value, its first place
        } else {
          nv[2 * kept] = name;
          nv[2 * kept + 1] = nv[2 * pos + 1];
          index[slot] = ++kept;
        }
      }
    } else {
      next:
      for (int pos = 0; pos < size; pos++) {
        Object name = nv[2 * pos];
        for (int j = 0; j < kept; j++) {
          if (nv[2 * j].equals(name)) {
            nv[2 * j + 1] = nv[2 * pos + 1];
            continue next;
          }
        }
        nv[2 * kept] = name;
        nv[2 * kept + 1] = nv[2 * pos + 1];
        kept++;
      }
    }
    if (2 * kept != nv.length) {
      nv = Arrays.copyOf(nv, 2 * kept);
    }
    if (kept <= SCAN_LIMIT) {
      return new PropertyMap(nv);
    }
    if (kept < size) { // fewer entries than the index was made for: make it again, smaller
      return of(nv, kept);
    }
    return new Indexed(nv, index);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The position of the entry named {@code key}, or -1. */
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
      if (Objects.equals(namesAndValues[i], value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    int pos = position(key);
    return pos < 0 ? null : namesAndValues[2 * pos + 1];
  }

  @Override
  public @Nullable Object getOrDefault(@Nullable Object key, @Nullable Object defaultValue) {
    int pos = position(key);
    return pos < 0 ? defaultValue : namesAndValues[2 * pos + 1];
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    Object[] nv = namesAndValues;
    for (int i = 0; i < nv.length; i += 2) {
      action.accept((String) nv[i], nv[i + 1]);
    }
  }

  @Override
  public @Nullable Object put(String key, Object value) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable Object remove(@Nullable Object key) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void putAll(Map<? extends String, ? extends Object> m) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void replaceAll(BiFunction<? super String, ? super Object, ? extends Object> function) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable Object putIfAbsent(String key, Object value) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean remove(@Nullable Object key, @Nullable Object value) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable Object replace(String key, Object value) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public Object computeIfAbsent(String key, Function<? super String, ? extends Object> mappingFunction) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable Object computeIfPresent(String key,
      BiFunction<? super String, ? super Object, ? extends @Nullable Object> remappingFunction) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable Object compute(String key,
      BiFunction<? super String, ? super @Nullable Object, ? extends @Nullable Object> remappingFunction) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public @Nullable Object merge(String key, Object value,
      BiFunction<? super Object, ? super Object, ? extends @Nullable Object> remappingFunction) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  /** The names in order; made on each call, read-only like the map. */
  @Override
  public Set<String> keySet() {
    return Collections.unmodifiableSet(new AbstractSet<>() {
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
        return PropertyMap.this.size();
      }

      @Override
      public boolean contains(@Nullable Object o) {
        return containsKey(o);
      }

      @Override
      public Spliterator<String> spliterator() {
        return Spliterators.spliterator(this, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL);
      }
    });
  }

  /** The values in order; made on each call, read-only like the map. */
  @Override
  public Collection<Object> values() {
    return Collections.unmodifiableCollection(new java.util.AbstractCollection<>() {
      @Override
      public Iterator<Object> iterator() {
        return new Cursor<>(1) {
          @Override
          @Nullable Object at(int i) {
            return namesAndValues[i];
          }
        };
      }

      @Override
      public int size() {
        return PropertyMap.this.size();
      }

      @Override
      public Spliterator<Object> spliterator() {
        return Spliterators.spliterator(this, Spliterator.ORDERED);
      }
    });
  }

  /** The entries in order, each unmodifiable; made on each call, read-only like the map. */
  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return Collections.unmodifiableSet(new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Cursor<>(0) {
          @Override
          Map.Entry<String, Object> at(int i) {
            return new AbstractMap.SimpleImmutableEntry<>((String) namesAndValues[i], namesAndValues[i + 1]);
          }
        };
      }

      @Override
      public int size() {
        return PropertyMap.this.size();
      }

      @Override
      public boolean contains(@Nullable Object o) {
        if (!(o instanceof Map.Entry<?, ?> e)) {
          return false;
        }
        int pos = position(e.getKey());
        return pos >= 0 && Objects.equals(namesAndValues[2 * pos + 1], e.getValue());
      }

      @Override
      public Spliterator<Map.Entry<String, Object>> spliterator() {
        return Spliterators.spliterator(this, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL);
      }
    });
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

    @Override
    public void remove() {
      throw new UnsupportedOperationException(READ_ONLY);
    }
  }

  /**
   * {@code Map}'s equality: the same names with equal values, in any order. Against another
   * {@code PropertyMap}, while the names come in the same order it compares entry by entry
   * without lookups.
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
    if (o instanceof PropertyMap p) {
      Object[] onv = p.namesAndValues;
      for (; from < nv.length; from += 2) {
        Object n = nv[from];
        if (n != onv[from] && !n.equals(onv[from])) {
          break; // another order from here on: look the rest up
        }
        if (!Objects.equals(nv[from + 1], onv[from + 1])) {
          return false;
        }
      }
    }
    try {
      for (int i = from; i < nv.length; i += 2) {
        Object value = nv[i + 1];
        if (value == null) {
          if (other.get(nv[i]) != null || !other.containsKey(nv[i])) {
            return false;
          }
        } else if (!value.equals(other.get(nv[i]))) {
          return false;
        }
      }
    } catch (ClassCastException | NullPointerException e) {
      return false; // a map that refuses such keys, as AbstractMap.equals answers
    }
    return true;
  }

  /** {@code Map}'s hash: the sum over the entries of the name's hash XOR the value's (0 for null). */
  @Override
  public int hashCode() {
    int h = 0;
    Object[] nv = namesAndValues;
    for (int i = 0; i < nv.length; i += 2) {
      h += nv[i].hashCode() ^ Objects.hashCode(nv[i + 1]);
    }
    return h;
  }

  /** As {@code AbstractMap} writes a map: {@code {name=value, ...}}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.append(i == 0 ? "" : ", ").append(namesAndValues[i]).append('=').append(namesAndValues[i + 1]);
    }
    return out.append('}').toString();
  }
}
