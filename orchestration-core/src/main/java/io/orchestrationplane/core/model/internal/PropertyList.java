package io.orchestrationplane.core.model.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An unmodifiable list of property values over one array: a 16-byte header and the array where
 * a {@code Collections.unmodifiableList} over an {@code ArrayList} takes two more objects (about
 * 48 bytes; it is no {@code AbstractList}, whose modification count would add 8). Unlike {@code List.copyOf} it holds {@code null} elements, as property values may.
 *
 * <p>It behaves as an unmodifiable {@link List}: {@link #equals} and {@link #hashCode} follow
 * {@code List}'s contract, and every method that would change it, its iterators or its sublists
 * throws {@link UnsupportedOperationException}, whether or not it would change anything.
 *
 * <p>Immutable and thread-safe, provided its elements are (a model's are).
 */
public final class PropertyList implements List<Object>, RandomAccess {
  /** The list without elements. */
  public static final PropertyList EMPTY = new PropertyList(new Object[0]);

  private static final String READ_ONLY = "a model's property list is immutable: change a copy (new ArrayList<>(list))";

  private final Object[] elements;

  private PropertyList(Object[] elements) {
    this.elements = elements;
  }

  /**
   * The list of {@code elements} in order (nulls included); the array is taken over, the caller
   * must not keep or change it.
   */
  public static PropertyList of(Object[] elements) {
    return elements.length == 0 ? EMPTY : new PropertyList(elements);
  }

  @Override
  public @Nullable Object get(int index) {
    Objects.checkIndex(index, elements.length);
    return elements[index];
  }

  @Override
  public int size() {
    return elements.length;
  }

  @Override
  public boolean isEmpty() {
    return elements.length == 0;
  }

  @Override
  public Iterator<Object> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < elements.length;
      }

      @Override
      public @Nullable Object next() {
        if (next >= elements.length) {
          throw new NoSuchElementException();
        }
        return elements[next++];
      }

      @Override
      public void remove() {
        throw new UnsupportedOperationException(READ_ONLY);
      }
    };
  }

  /** A read-only view over the same array, for the rarely used list iterators and sublists. */
  private List<Object> view() {
    return Collections.unmodifiableList(Arrays.asList(elements));
  }

  @Override
  public ListIterator<Object> listIterator() {
    return view().listIterator();
  }

  @Override
  public ListIterator<Object> listIterator(int index) {
    return view().listIterator(index);
  }

  @Override
  public List<Object> subList(int fromIndex, int toIndex) {
    return view().subList(fromIndex, toIndex);
  }

  @Override
  public Object[] toArray() {
    return elements.clone();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T[] toArray(T[] a) {
    if (a.length < elements.length) {
      return (T[]) Arrays.copyOf(elements, elements.length, a.getClass());
    }
    System.arraycopy(elements, 0, a, 0, elements.length);
    if (a.length > elements.length) {
      a[elements.length] = null;
    }
    return a;
  }

  @Override
  public int indexOf(@Nullable Object o) {
    for (int i = 0; i < elements.length; i++) {
      if (Objects.equals(o, elements[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int lastIndexOf(@Nullable Object o) {
    for (int i = elements.length - 1; i >= 0; i--) {
      if (Objects.equals(o, elements[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean contains(@Nullable Object o) {
    return indexOf(o) >= 0;
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    for (Object o : c) {
      if (!contains(o)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean add(Object e) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void add(int index, Object element) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean addAll(Collection<? extends Object> c) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean addAll(int index, Collection<? extends Object> c) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public Object set(int index, Object element) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public Object remove(int index) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean remove(@Nullable Object o) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public boolean removeIf(Predicate<? super Object> filter) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void replaceAll(UnaryOperator<Object> operator) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void sort(@Nullable Comparator<? super Object> c) {
    throw new UnsupportedOperationException(READ_ONLY);
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException(READ_ONLY);
  }


  /** {@code List}'s equality: the same elements in the same order. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof PropertyList p) {
      return Arrays.equals(elements, p.elements);
    }
    if (!(o instanceof List<?> other) || other.size() != elements.length) {
      return false;
    }
    Iterator<?> it = other.iterator();
    for (Object e : elements) {
      if (!it.hasNext() || !Objects.equals(e, it.next())) {
        return false;
      }
    }
    return !it.hasNext();
  }

  /** {@code List}'s hash, over the elements in order. */
  @Override
  public int hashCode() {
    return Arrays.hashCode(elements);
  }

  /** As {@code AbstractCollection} writes a list: {@code [a, b]}. */
  @Override
  public String toString() {
    return Arrays.toString(elements);
  }
}
