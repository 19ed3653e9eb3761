package io.orchestrationplane.core.resource.internal;

import io.orchestrationplane.core.resource.GroupKind;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Unmodifiable, insertion-ordered sets of group/kinds, shared between the many applications that
 * hold equal ones: the kinds an application rendered, the kinds a plan lists, the kinds a plane
 * manages for an application are the same handful for every application of one shape, and each
 * was a {@code LinkedHashSet} of its own (a few hundred bytes) kept as long as the application.
 * {@link #shared} answers a set seen before when its slot still holds one with the same kinds in
 * the same order, else a fresh unmodifiable copy that it remembers in place of the slot's. It
 * never holds more than {@value #SLOTS} sets and never changes what a caller gets, only which of
 * equal sets.
 *
 * <p>Thread-safe: the slots are an {@link AtomicReferenceArray}, so a set is published whole; two
 * threads racing for a slot only lose a chance to share.
 */
public final class KindSets {
  private static final int SLOTS = 128;
  private static final AtomicReferenceArray<Set<GroupKind>> SEEN = new AtomicReferenceArray<>(SLOTS);

  private KindSets() {}

  /** An unmodifiable set of {@code kinds} in their order, shared with an equal one made before when possible. */
  public static Set<GroupKind> shared(Collection<GroupKind> kinds) {
    int h = 1;
    for (GroupKind k : kinds) {
      h = 31 * h + k.hashCode();
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    Set<GroupKind> seen = SEEN.get(slot);
    if (seen != null && sameInOrder(seen, kinds)) {
      return seen;
    }
    Set<GroupKind> made = Collections.unmodifiableSet(new LinkedHashSet<>(kinds));
    SEEN.set(slot, made);
    return made;
  }

  /** {@code kinds} as {@link #shared} gives it, plus every kind of {@code more} it lacks, after its own. */
  public static Set<GroupKind> union(Set<GroupKind> kinds, Collection<GroupKind> more) {
    if (kinds.containsAll(more)) {
      return kinds;
    }
    Set<GroupKind> all = new LinkedHashSet<>(kinds);
    all.addAll(more);
    return shared(all);
  }

  private static boolean sameInOrder(Set<GroupKind> seen, Collection<GroupKind> kinds) {
    if (seen.size() != kinds.size()) {
      return false;
    }
    Iterator<GroupKind> a = seen.iterator();
    for (GroupKind k : kinds) {
      if (!a.next().equals(k)) {
        return false;
      }
    }
    return true;
  }
}
