package io.orchestrationplane.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compact property list reads like the {@code ArrayList} it replaces (order, equality both
 * ways, hashing, text, null elements) and refuses every change, through its iterators and
 * sublists too.
 */
class PropertyListTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void readsLikeTheArrayListItWasMadeFrom(int size) {
    List<Object> source = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      source.add(i % 2 == 0 ? "v" + i : (Object) (long) i);
    }

    PropertyList list = PropertyList.of(source.toArray());

    assertThat(list.size()).isEqualTo(size);
    assertThat(list.isEmpty()).isEqualTo(size == 0);
    assertThat(new ArrayList<>(list)).containsExactlyElementsOf(source);
    for (int i = 0; i < size; i++) {
      assertThat(list.get(i)).isEqualTo(source.get(i));
      assertThat(list.indexOf(source.get(i))).isEqualTo(i);
      assertThat(list.lastIndexOf(source.get(i))).isEqualTo(i);
      assertThat(list.contains(source.get(i))).isTrue();
    }
    assertThat(list.contains("absent")).isFalse();
    assertThat(list.indexOf("absent")).isEqualTo(-1);
    assertThat(list.containsAll(source)).isTrue();
    assertThatThrownBy(() -> list.get(size)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(list.toArray()).containsExactly(source.toArray());
    assertThat(list.toArray(new Object[0])).containsExactly(source.toArray());
    assertThat(list.stream().toList()).isEqualTo(source);

    assertThat(list).isEqualTo(source);
    assertThat(source).isEqualTo(list);
    assertThat(list).isEqualTo(List.copyOf(source));
    assertThat(List.copyOf(source)).isEqualTo(list);
    assertThat(list).isEqualTo(new LinkedList<>(source));
    assertThat(list).isEqualTo(PropertyList.of(source.toArray()));
    assertThat(list.hashCode()).isEqualTo(source.hashCode());
    assertThat(list.toString()).isEqualTo(source.toString());
    if (size > 1) {
      List<Object> reversed = new ArrayList<>(source);
      java.util.Collections.reverse(reversed);
      assertThat(list).isNotEqualTo(reversed);
      assertThat(reversed).isNotEqualTo(list);
      assertThat(list).isNotEqualTo(source.subList(0, size - 1));
      assertThat(list.subList(1, size)).isEqualTo(source.subList(1, size));
    }
  }

  @Test
  void holdsNullElements() {
    List<Object> source = Arrays.asList("a", null, 3L);

    PropertyList list = PropertyList.of(source.toArray());

    assertThat(list.get(1)).isNull();
    assertThat(list.contains(null)).isTrue();
    assertThat(list.indexOf(null)).isEqualTo(1);
    assertThat(list).isEqualTo(source);
    assertThat(source).isEqualTo(list);
    assertThat(list.hashCode()).isEqualTo(source.hashCode());
    assertThat(list).hasToString("[a, null, 3]");
    assertThat(list).isNotEqualTo(Arrays.asList("a", "b", 3L));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3})
  void refusesEveryChangeEvenOneThatWouldChangeNothing(int size) {
    Object[] elements = new Object[size];
    Arrays.fill(elements, "x");
    PropertyList list = PropertyList.of(elements);
    List<Consumer<List<Object>>> changes = List.of(
        l -> l.add("y"),
        l -> l.add(0, "y"),
        l -> l.addAll(List.of()),
        l -> l.addAll(0, List.of("y")),
        l -> l.set(0, "x"),
        l -> l.remove(0),
        l -> l.remove("absent"),
        l -> l.removeAll(List.of()),
        l -> l.retainAll(l),
        l -> l.removeIf(e -> false),
        l -> l.replaceAll(e -> e),
        l -> l.sort(null),
        l -> l.clear(),
        l -> l.subList(0, 0).clear(),
        l -> l.subList(0, l.size()).add("y"),
        l -> l.listIterator().add("y"));
    for (Consumer<List<Object>> change : changes) {
      assertThatThrownBy(() -> change.accept(list)).isInstanceOf(UnsupportedOperationException.class);
    }
    Iterator<Object> it = list.iterator();
    if (it.hasNext()) {
      it.next();
    }
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    ListIterator<Object> li = list.listIterator(size);
    if (li.hasPrevious()) {
      li.previous();
    }
    assertThatThrownBy(li::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> li.set("y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(list).containsExactly(elements);
  }
}
