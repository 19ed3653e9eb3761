package io.orchestrationplane.core.resource.internal;

import java.lang.ref.WeakReference;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Read-only JSON trees: what a {@code Resource} holds. Objects keep their fields in a {@link
 * FrozenFields} and arrays their items in an unmodifiable list, so every mutating method of the
 * tree's nodes throws {@link UnsupportedOperationException}, and a tree that is already read-only
 * is shared instead of copied. Such a tree equals, hashes and serialises like the mutable tree it
 * was copied from (same fields in the same order); {@link JsonNode#deepCopy()} of it is an
 * ordinary mutable tree.
 *
 * <p>Thread-safe; the trees it makes are immutable. Its only state is a bounded, lossy set of
 * recent short string nodes that the trees share, held weakly ({@link #sharedValue}).
 */
public final class FrozenJson {
  private FrozenJson() {}

  /**
   * A read-only copy of {@code node}: {@code node} itself when it is already read-only (a node of
   * a tree this class made), else a copy whose containers are read-only, sharing its value nodes
   * (which Jackson's own copy shares too) and any read-only subtree. {@code node} must nest no
   * deeper than the caller allows (the recursion follows it).
   */
  public static JsonNode copyOf(JsonNode node) {
    if (node instanceof FrozenObject || node instanceof FrozenArray) {
      return node;
    }
    if (node instanceof ObjectNode object) {
      Object[] namesAndValues = new Object[2 * object.size()];
      int i = 0;
      for (var e : object.properties()) {
        namesAndValues[i++] = e.getKey();
        namesAndValues[i++] = copyOf(e.getValue());
      }
      return new FrozenObject(FrozenFields.of(namesAndValues));
    }
    if (node instanceof ArrayNode array) {
      JsonNode[] items = new JsonNode[array.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = copyOf(array.get(i));
      }
      return new FrozenArray(List.of(items));
    }
    return sharedValue(node);
  }

  /**
   * A read-only copy of {@code node}, as {@link #copyOf(JsonNode)}, that shares what it can with
   * {@code like}, an older or related version of the same tree: wherever a subtree of {@code
   * node} equals ({@link JsonNode#equals}: objects with the same fields in any order, arrays with
   * the same items in the same order) the subtree of {@code like} at the same path and that one is
   * read-only, the copy holds {@code like}'s node instead of a new one, and a value equal to
   * {@code like}'s value at the same path is {@code like}'s value node (so its string too). When
   * the whole of {@code node} equals a read-only {@code like}, the answer is {@code like} itself.
   * Two versions of an object (the content applied and the object stored, an object before and
   * after an edit, the object sent and the server's answer, which orders fields its own way) then
   * cost one tree plus their differences. The copy equals {@code node}; a shared object keeps
   * {@code like}'s order of fields, which JSON gives no meaning. A {@code null} {@code like}
   * shares nothing.
   */
  public static JsonNode copyOf(JsonNode node, @Nullable JsonNode like) {
    if (like == null) {
      return copyOf(node);
    }
    if (node == like || node instanceof FrozenObject || node instanceof FrozenArray) {
      return node;
    }
    if (node instanceof ObjectNode object) {
      ObjectNode likeObject = like instanceof ObjectNode o ? o : null;
      // every field the very node of like's field of that name, and as many: equal in any order
      boolean same = like instanceof FrozenObject && like.size() == object.size();
      Object[] namesAndValues = new Object[2 * object.size()];
      int i = 0;
      for (var e : object.properties()) {
        String name = e.getKey();
        JsonNode likeValue = likeObject == null ? null : likeObject.get(name);
        JsonNode value = copyOf(e.getValue(), likeValue);
        same &= value == likeValue;
        namesAndValues[i++] = name;
        namesAndValues[i++] = value;
      }
      return same ? like : new FrozenObject(FrozenFields.of(namesAndValues));
    }
    if (node instanceof ArrayNode array) {
      ArrayNode likeArray = like instanceof ArrayNode a ? a : null;
      boolean same = like instanceof FrozenArray && like.size() == array.size();
      JsonNode[] items = new JsonNode[array.size()];
      for (int i = 0; i < items.length; i++) {
        JsonNode likeItem = likeArray == null || i >= likeArray.size() ? null : likeArray.get(i);
        items[i] = copyOf(array.get(i), likeItem);
        same &= items[i] == likeItem;
      }
      return same ? like : new FrozenArray(List.of(items));
    }
    if (like.isValueNode() && node.equals(like)) {
      return like;
    }
    return sharedValue(node);
  }

  /** Strings of at most this many characters are shared between trees ({@link #sharedValue}). */
  static final int SHARED_STRING_LENGTH = 64;
  @SuppressWarnings("unchecked")
  private static final WeakReference<StringNode>[] RECENT_STRINGS = new WeakReference[4096];

  /**
   * {@code node} itself, or for a short string an equal {@code StringNode} a tree made before
   * holds: kinds, API versions, label values, images, protocols and policies repeat in every
   * object of a kind, and each was a node and a string of its own (about 60 bytes) in every tree
   * that held it. A bounded, lossy set of recent nodes by hash, read and written without a lock (a
   * race only loses a chance to share). It holds them weakly: any value may be a secret (a
   * Secret's data, an annotation, an environment variable), and none is kept after the last
   * tree that holds it is gone. Value nodes are immutable, so sharing one changes nothing a
   * reader can see but identity.
   */
  static JsonNode sharedValue(JsonNode node) {
    if (!(node instanceof StringNode string)) {
      return node.deepCopy(); // value nodes answer themselves
    }
    String value = string.stringValue();
    if (value.length() > SHARED_STRING_LENGTH) {
      return node;
    }
    int h = value.hashCode();
    int slot = (h ^ (h >>> 16)) & (RECENT_STRINGS.length - 1);
    WeakReference<StringNode> ref = RECENT_STRINGS[slot]; // racy: a reference not yet whole reads as empty
    StringNode seen = ref == null ? null : ref.get();
    if (seen != null && seen.stringValue().equals(value)) {
      return seen;
    }
    RECENT_STRINGS[slot] = new WeakReference<>(string);
    return string;
  }

  /** Whether the set of recent string nodes holds one of {@code value}, for tests: held weakly, so only while a tree does. */
  static boolean holdsShared(String value) {
    int h = value.hashCode();
    WeakReference<StringNode> ref = RECENT_STRINGS[(h ^ (h >>> 16)) & (RECENT_STRINGS.length - 1)];
    StringNode seen = ref == null ? null : ref.get();
    return seen != null && seen.stringValue().equals(value);
  }

  /**
   * A read-only object node over {@code namesAndValues} (name, value, name, value, ...), which it
   * takes over: the caller must not keep or change the array, and every value must be read-only
   * already (made here, or a value node). Throws {@link IllegalArgumentException} as {@link
   * FrozenFields#of} does.
   */
  public static ObjectNode object(Object[] namesAndValues) {
    return new FrozenObject(FrozenFields.of(namesAndValues));
  }

  /**
   * A read-only array node over {@code items}, which it copies; every item must be read-only
   * already (made here, or a value node).
   */
  public static ArrayNode array(JsonNode[] items) {
    return new FrozenArray(List.of(items));
  }

  /** True when {@code node} is a read-only container made here (value nodes are immutable anyway). */
  public static boolean isFrozen(JsonNode node) {
    return node instanceof FrozenObject || node instanceof FrozenArray;
  }

  /** An object node over read-only fields. */
  private static final class FrozenObject extends ObjectNode {
    private static final long serialVersionUID = 1L;
    /**
     * {@link #hashCode()} once computed, 0 until then (a hash that is 0 is computed again, as
     * {@code String} does); racy and benign. It fills the 4 bytes the object's alignment leaves
     * free, so the fields' map need not keep it.
     */
    private transient int hash;

    FrozenObject(FrozenFields fields) {
      super(JsonNodeFactory.instance, fields);
    }

    @Override
    public int hashCode() {
      int h = hash;
      if (h == 0) {
        h = super.hashCode();
        hash = h;
      }
      return h;
    }

    /** As {@code ObjectNode}'s, answering at once against another whose hash is known to differ. */
    @Override
    public boolean equals(Object o) {
      if (o instanceof FrozenObject other && hash != 0 && other.hash != 0 && hash != other.hash) {
        return false;
      }
      return super.equals(o);
    }

    /** Java serialisation writes a mutable copy (Jackson's own replacement is not inherited here). */
    private Object writeReplace() {
      return deepCopy();
    }
  }

  /** An array node over an unmodifiable list. */
  private static final class FrozenArray extends ArrayNode {
    private static final long serialVersionUID = 1L;

    FrozenArray(List<JsonNode> items) {
      super(JsonNodeFactory.instance, items);
    }

    /** Java serialisation writes a mutable copy (Jackson's own replacement is not inherited here). */
    private Object writeReplace() {
      return deepCopy();
    }
  }
}
