package io.orchestrationplane.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The encoding every backend shares: compact JSON, sized in UTF-8 bytes, read back strictly. */
class StateCodecTest {
  private static final StateKey KEY = StateKey.of("revisions", "shop.1");

  private static String encoded(JsonNode value) {
    return new String(StateCodec.encode(KEY, value, StateStore.Config.MAX_VALUE_BYTES), StandardCharsets.UTF_8);
  }

  @Test
  void aValueIsStoredAsCompactJsonInItsOwnKeyOrder() {
    ObjectNode value = Json.object().put("z", 1).put("a", "é");
    value.putArray("list").add(true).addNull();

    assertThat(encoded(value)).isEqualTo("{\"z\":1,\"a\":\"é\",\"list\":[true,null]}");
  }

  @Test
  void theEncodingIsStableUnderARoundTripSoDigestsOfItAreToo() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode value = Json.object();
    value.set("float", f.numberNode(0.1f));
    value.set("decimal", f.numberNode(new java.math.BigDecimal("1E+2")));
    value.set("nan", f.numberNode(Double.NaN));
    value.set("binary", f.binaryNode(new byte[] {1, 2, 3}));

    byte[] once = StateCodec.encode(KEY, value, 1000);
    JsonNode decoded = StateCodec.decode(once, KEY, "test");
    byte[] twice = StateCodec.encode(KEY, decoded, 1000);

    assertThat(twice).isEqualTo(once);
    assertThat(decoded.get("decimal").isDouble()).isTrue();
    assertThat(decoded.get("nan").asString()).isEqualTo("NaN");
    assertThat(decoded.get("binary").asString()).isEqualTo("AQID");
  }

  @Test
  void theTreeOfAnEncodingIsWhatItsBytesReadBackAs() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode value = Json.object();
    value.set("float", f.numberNode(0.1f));
    value.set("decimal", f.numberNode(new java.math.BigDecimal("1E+2")));
    value.set("nan", f.numberNode(Double.NaN));
    value.set("binary", f.binaryNode(new byte[] {1, 2, 3}));
    value.set("long", f.numberNode(5L));
    value.set("big", f.numberNode(new java.math.BigInteger("123456789012345678901234567890")));
    value.putArray("list").add(1.5).addNull().addObject().put("é", "€");

    StateCodec.Encoded encoded = StateCodec.encodeWithTree(KEY, value, 1000);

    assertThat(encoded.bytes()).isEqualTo(StateCodec.encode(KEY, value, 1000));
    assertThat(encoded.tree()).isEqualTo(StateCodec.decode(encoded.bytes(), KEY, "test"));
    assertThat(encoded.tree().get("long").isInt()).as("as read back, not as written").isTrue();
    assertThat(StateCodec.encode(KEY, encoded.tree(), 1000)).isEqualTo(encoded.bytes());
  }

  @Test
  void theStoredBytesAreTheReadBackTreesWrittenWhetherOrNotItReadsBackChanged() {
    // the definition, checked on random trees: write, read back strictly, write what was read
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 300; i++) {
      JsonNode value = randomTree(random, 0);
      byte[] definition = Json.JSON.writeValueAsBytes(Json.readJson(Json.JSON.writeValueAsString(value)));
      assertThat(StateCodec.encode(KEY, value, 1 << 20)).as("tree %d: %s", i, value).isEqualTo(definition);
      assertThat(StateCodec.encodeWithTree(KEY, value, 1 << 20).bytes()).isEqualTo(definition);
    }
  }

  private static JsonNode randomTree(java.util.Random random, int depth) {
    return randomTree(random, depth, false);
  }

  /** A random tree; a plain one has no float, BigDecimal, NaN or binary node. */
  private static JsonNode randomTree(java.util.Random random, int depth, boolean plain) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    int pick = random.nextInt(depth > 3 ? 10 : 13);
    if (plain && (pick == 6 || pick == 8)) {
      pick = pick == 6 ? 2 : 9;
    }
    return switch (pick) {
      case 0 -> f.numberNode(random.nextInt(2000) - 1000);
      case 1 -> f.numberNode((long) random.nextInt(100)); // a long that reads back as an int
      case 2 -> f.numberNode(random.nextLong());
      case 3 -> f.numberNode(java.math.BigInteger.valueOf(random.nextInt(50))); // reads back as an int
      case 4 -> f.numberNode(new java.math.BigInteger("98765432109876543210").multiply(java.math.BigInteger.valueOf(random.nextInt(9) + 1)));
      case 5 -> f.numberNode(random.nextDouble() * 1000);
      case 6 -> random.nextBoolean() ? f.numberNode(0.1f * random.nextInt(10)) : f.numberNode(new java.math.BigDecimal("1E+" + random.nextInt(5)));
      case 7 -> random.nextBoolean() ? f.booleanNode(random.nextBoolean()) : f.nullNode();
      case 8 -> f.binaryNode(new byte[] {(byte) random.nextInt(), 2});
      case 9 -> f.stringNode(randomText(random));
      case 10, 11 -> {
        ObjectNode o = f.objectNode();
        for (int k = random.nextInt(5); k > 0; k--) {
          o.set(randomText(random), randomTree(random, depth + 1, plain));
        }
        yield o;
      }
      default -> {
        tools.jackson.databind.node.ArrayNode a = f.arrayNode();
        for (int k = random.nextInt(5); k > 0; k--) {
          a.add(randomTree(random, depth + 1, plain));
        }
        yield a;
      }
    };
  }

  private static String randomText(java.util.Random random) {
    String alphabet = "az09-_./\\\"'\n\t\u0000\u001fé€日😀\u2028";
    StringBuilder sb = new StringBuilder();
    for (int k = random.nextInt(8); k > 0; k--) {
      sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    }
    return sb.toString();
  }

  /** What the codec promises: the bytes and the tree of one strict round trip, node types included. */
  private static void assertStoredAsDefined(JsonNode value, String what) {
    byte[] written = Json.JSON.writeValueAsBytes(value);
    JsonNode readBack = Json.readJson(new String(written, StandardCharsets.UTF_8));
    byte[] definition = Json.JSON.writeValueAsBytes(readBack);
    StateCodec.Encoded encoded = StateCodec.encodeWithTree(KEY, value, 1 << 20);
    assertThat(encoded.bytes()).as("bytes of %s", what).isEqualTo(definition);
    assertThat(StateCodec.encode(KEY, value, 1 << 20)).as("encode of %s", what).isEqualTo(definition);
    assertSameTree(encoded.tree(), readBack, what);
    assertSameTree(StateCodec.decode(encoded.bytes(), KEY, "test"), encoded.tree(), what);
  }

  /** Equal, and of the same node type at every place (an IntNode is not a LongNode of one value), key order included. */
  private static void assertSameTree(JsonNode actual, JsonNode expected, String what) {
    assertThat(actual.getClass()).as("node type in %s: %s", what, expected).isEqualTo(expected.getClass());
    assertThat(actual).as("node in %s", what).isEqualTo(expected);
    if (expected.isDouble()) {
      assertThat(Double.doubleToRawLongBits(actual.doubleValue())).isEqualTo(Double.doubleToRawLongBits(expected.doubleValue()));
    }
    if (expected.isContainer()) {
      assertThat(actual.size()).isEqualTo(expected.size());
      if (expected.isObject()) {
        assertThat(List.copyOf(actual.propertyNames())).as("key order in %s", what)
            .isEqualTo(List.copyOf(expected.propertyNames()));
        for (String k : expected.propertyNames()) {
          assertSameTree(actual.get(k), expected.get(k), what);
        }
      } else {
        for (int i = 0; i < expected.size(); i++) {
          assertSameTree(actual.get(i), expected.get(i), what);
        }
      }
    }
  }

  @Test
  void aPlainTreeIsStoredAsTheStrictRoundTripWouldStoreItWithoutBeingParsedAgain() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode value = Json.object();
    value.put("ascii", "plain").put("accents", "é日😀€").put("controls", "\u0000\u001f\n\t\"\\\u2028\u007f");
    value.put("empty", "");
    value.set("intMin", f.numberNode(Integer.MIN_VALUE));
    value.set("intMax", f.numberNode(Integer.MAX_VALUE));
    value.set("longJustAboveInt", f.numberNode(Integer.MAX_VALUE + 1L));
    value.set("longJustBelowInt", f.numberNode(Integer.MIN_VALUE - 1L));
    value.set("longThatFitsAnInt", f.numberNode(7L));
    value.set("longMin", f.numberNode(Long.MIN_VALUE));
    value.set("longMax", f.numberNode(Long.MAX_VALUE));
    value.set("short", f.numberNode((short) -12));
    value.set("bigSmall", f.numberNode(java.math.BigInteger.valueOf(-3)));
    value.set("bigLong", f.numberNode(java.math.BigInteger.valueOf(Long.MIN_VALUE)));
    value.set("bigAboveLong", f.numberNode(java.math.BigInteger.valueOf(Long.MAX_VALUE).add(java.math.BigInteger.ONE)));
    value.set("bigBelowLong", f.numberNode(java.math.BigInteger.valueOf(Long.MIN_VALUE).subtract(java.math.BigInteger.ONE)));
    value.set("huge", f.numberNode(new java.math.BigInteger("-123456789012345678901234567890123456789")));
    value.set("zero", f.numberNode(0.0));
    value.set("minusZero", f.numberNode(-0.0));
    value.set("tenth", f.numberNode(0.1));
    value.set("integralDouble", f.numberNode(3.0));
    value.set("tiny", f.numberNode(Double.MIN_VALUE));
    value.set("biggest", f.numberNode(Double.MAX_VALUE));
    value.set("exponent", f.numberNode(1.5e-300));
    value.put("true", true).put("false", false).putNull("null");
    value.putObject("emptyObject");
    value.putArray("emptyArray");
    value.putArray("nested").addArray().addObject().putArray("deeper").addArray();
    value.putObject("é日\u0000").put("", 1);
    assertThat(StateCodec.readBackCopy(value, 1)).as("a plain tree is copied").isNotNull();
    assertStoredAsDefined(value, "edge cases");

    for (JsonNode scalarAtRoot : List.of(f.stringNode("x"), f.numberNode(5L), f.numberNode(1.25), f.nullNode(),
        f.booleanNode(true), f.arrayNode(), f.objectNode())) {
      assertStoredAsDefined(scalarAtRoot, "root " + scalarAtRoot);
    }
  }

  @Test
  void theCopyIsTheStoresOwnTree() {
    ObjectNode value = Json.object();
    value.putObject("inner").put("n", 1).putArray("list").add("a");
    JsonNode tree = StateCodec.encodeWithTree(KEY, value, 1000).tree();
    ((ObjectNode) value.get("inner")).put("n", 2);
    ((ArrayNode) value.get("inner").get("list")).add("b");
    value.put("later", true);
    assertThat(tree.toString()).isEqualTo("{\"inner\":{\"n\":1,\"list\":[\"a\"]}}");
  }

  @Test
  void whatIsNotAPlainTreeIsParsedAgainAndStoredAsDefined() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> notPlain = List.of(f.numberNode(0.1f), f.numberNode(new java.math.BigDecimal("1.50")),
        f.numberNode(Double.NaN), f.numberNode(Double.NEGATIVE_INFINITY), f.binaryNode(new byte[] {1, 2, 3}),
        f.pojoNode(java.util.Map.of("k", 1)));
    for (JsonNode leaf : notPlain) {
      ObjectNode value = Json.object().put("before", 1);
      value.putArray("list").add("x").add(leaf);
      assertThat(StateCodec.readBackCopy(value, 1)).as("%s is not plain", leaf).isNull();
      assertStoredAsDefined(value, "with " + leaf);
    }
  }

  @Test
  void aStringWithAnUnpairedSurrogateIsLeftToTheStrictPath() {
    ObjectNode value = Json.object().put("s", "a\ud83d");
    assertThat(StateCodec.readBackCopy(value, 1)).isNull();
    ObjectNode key = Json.object().put("k\udc00", 1);
    assertThat(StateCodec.readBackCopy(key, 1)).isNull();
    ObjectNode paired = Json.object().put("s\ud83d\ude00", "\ud83d\ude00");
    assertThat(StateCodec.readBackCopy(paired, 1)).isNotNull();
    assertStoredAsDefined(paired, "a surrogate pair");
  }

  @Test
  void plainRandomTreesAreStoredAsTheStrictRoundTripWouldStoreThem() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 500; i++) {
      JsonNode value = randomTree(random, 0, true);
      assertThat(StateCodec.readBackCopy(value, 1)).as("tree %d is plain", i).isNotNull();
      assertStoredAsDefined(value, "tree " + i + ": " + value);
      JsonNode mixed = randomTree(random, 0, false);
      assertStoredAsDefined(mixed, "mixed tree " + i + ": " + mixed);
    }
  }

  /**
   * What a store keeping trees gets ({@link StateCodec#storedTree}): the tree {@code encodeWithTree}
   * gives (its copy has the same node types, values and key order), read-only, the limit checked
   * on the length of the bytes it gives (one byte less than that length is refused, naming it)
   * and, for a plain tree without doubles, that length counted rather than written.
   */
  private static void assertStoredTreeAsEncoded(JsonNode value, String what) {
    StateCodec.Encoded encoded = StateCodec.encodeWithTree(KEY, value, 1 << 20);
    int length = encoded.bytes().length;
    JsonNode stored = StateCodec.storedTree(KEY, value, 1 << 20);
    assertThat(stored).as("stored tree of %s", what).isEqualTo(encoded.tree());
    assertThat(stored.hashCode()).as("hash of %s", what).isEqualTo(encoded.tree().hashCode());
    assertSameTree(stored.deepCopy(), encoded.tree(), what);
    assertSameTree(StateCodec.storedTree(KEY, value, length).deepCopy(), encoded.tree(), what + " at its exact size");
    assertThatThrownBy(() -> StateCodec.storedTree(KEY, value, length - 1)).as("one byte over, %s", what)
        .isInstanceOfSatisfying(StateValueTooLargeException.class, e -> assertThat(e.size()).isEqualTo(length));
    if (stored instanceof ObjectNode o) {
      assertThatThrownBy(() -> o.put("added", 1)).as("mutating %s", what)
          .isInstanceOf(UnsupportedOperationException.class);
    } else if (stored instanceof ArrayNode a) {
      assertThatThrownBy(() -> a.add(1)).as("mutating %s", what).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  /** The count of a plain tree without doubles, checked against the bytes the writer gives. */
  private static void assertCounted(JsonNode value, String what) {
    StateCodec.Sized sized = new StateCodec.Sized();
    assertThat(sized.copy(value, 1)).as("%s is counted", what).isNotNull();
    assertThat(sized.bytes).as("bytes counted for %s", what).isEqualTo(StateCodec.encode(KEY, value, 1 << 22).length);
    assertStoredTreeAsEncoded(value, what);
  }

  @Test
  void aStoreKeepingTreesGetsTheEncodedTreeWithTheLimitOnTheEncodedLength() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode value = Json.object();
    value.put("ascii", "plain").put("accents", "é日😀€").put("controls", "\u0000\u001f\n\t\r\b\f\"\\/\u2028\u007f");
    value.put("empty", "");
    for (long n : new long[] {0, 9, 10, -9, -10, 99, 100, 999_999_999, 1_000_000_000, Integer.MIN_VALUE,
        Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 999_999_999_999_999_999L,
        1_000_000_000_000_000_000L, -1_000_000_000_000_000_000L, Long.MIN_VALUE, Long.MAX_VALUE}) {
      value.putArray("n" + n).add(f.numberNode(n)).add(n == (int) n ? f.numberNode((int) n) : f.numberNode(n));
    }
    value.set("short", f.numberNode((short) -12));
    value.set("bigSmall", f.numberNode(java.math.BigInteger.valueOf(-3)));
    value.set("bigAboveLong", f.numberNode(java.math.BigInteger.valueOf(Long.MAX_VALUE).add(java.math.BigInteger.ONE)));
    value.set("huge", f.numberNode(new java.math.BigInteger("-123456789012345678901234567890123456789")));
    value.put("true", true).put("false", false).putNull("null");
    value.putObject("emptyObject");
    value.putArray("emptyArray");
    value.putArray("one").add(1);
    value.putArray("nested").addArray().addObject().putArray("deeper").addArray();
    value.putObject("é日\u0000\"").put("", 1);
    assertCounted(value, "edge cases");
    for (JsonNode scalarAtRoot : List.of(f.stringNode("x"), f.numberNode(5L), f.nullNode(), f.booleanNode(false),
        f.arrayNode(), f.objectNode())) {
      assertCounted(scalarAtRoot, "root " + scalarAtRoot);
    }

    // every character of the basic plane but surrogates, as values and as keys; then surrogate pairs
    for (int from = 0; from < 0x10000; from += 0x800) {
      StringBuilder sb = new StringBuilder();
      for (int c = from; c < from + 0x800; c++) {
        if (!Character.isSurrogate((char) c)) {
          sb.append((char) c);
        }
      }
      String chars = sb.toString();
      assertCounted(Json.object().put(chars, chars), "characters from " + from);
    }
    StringBuilder pairs = new StringBuilder();
    for (int cp = 0x10000; cp < 0x110000; cp += 0x3f1) {
      pairs.appendCodePoint(cp);
    }
    assertCounted(f.arrayNode().add(pairs.toString()), "surrogate pairs");

    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 500; i++) {
      JsonNode plain = randomTree(random, 0, true);
      if (!hasDouble(plain)) {
        assertCounted(plain, "tree " + i + ": " + plain);
      }
      assertStoredTreeAsEncoded(plain, "tree " + i + ": " + plain);
      JsonNode mixed = randomTree(random, 0, false);
      assertStoredTreeAsEncoded(mixed, "mixed tree " + i + ": " + mixed);
    }
  }

  private static boolean hasDouble(JsonNode n) {
    if (n.isDouble()) {
      return true;
    }
    for (JsonNode child : n.isObject() ? List.copyOf(n.values()) : n.isArray() ? List.copyOf(n.values()) : List.<JsonNode>of()) {
      if (hasDouble(child)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aStoreKeepingTreesRefusesWhatTheEncodingRefuses() {
    ArrayNode deep = JsonNodeFactory.instance.arrayNode();
    ArrayNode inner = deep;
    for (int i = 0; i < 250; i++) {
      inner = inner.addArray();
    }
    assertThatThrownBy(() -> StateCodec.storedTree(KEY, deep, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(StateValueTooLargeException.class).hasMessageContaining("nest more than 200 levels");
    JsonNode longString = Json.object().put("s", "x".repeat(1024 * 1024 + 1));
    assertThatThrownBy(() -> StateCodec.storedTree(KEY, longString, 4 << 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than the limit of 1048576");
    // many strings, together over the strict reader's input limit: refused as the encoding refuses them
    ArrayNode large = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < 4; i++) {
      large.add("y".repeat(1024 * 1024 - 10));
    }
    assertThatThrownBy(() -> StateCodec.storedTree(KEY, large, 1 << 20))
        .isInstanceOfSatisfying(StateValueTooLargeException.class, e -> assertThat(e.size()).isEqualTo(4 * (1024 * 1024 - 8) + 5));
    assertThatThrownBy(() -> StateCodec.storedTree(KEY, JsonNodeFactory.instance.missingNode(), 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing node");
    ObjectNode unpaired = Json.object().put("s", "a\ud83d");
    assertThat(new StateCodec.Sized().copy(unpaired, 1)).isNull();
  }

  @Test
  void theTreeAStoreKeepsIsItsOwn() {
    ObjectNode value = Json.object();
    value.putObject("inner").put("n", 1).putArray("list").add("a");
    JsonNode tree = StateCodec.storedTree(KEY, value, 1000);
    ((ObjectNode) value.get("inner")).put("n", 2);
    ((ArrayNode) value.get("inner").get("list")).add("b");
    value.put("later", true);
    assertThat(tree.toString()).isEqualTo("{\"inner\":{\"n\":1,\"list\":[\"a\"]}}");
  }

  @Test
  void theLimitCountsUtf8BytesOfTheStoredForm() {
    JsonNode threeBytesEach = Json.object().put("s", "€".repeat(10)); // 8 + 30 bytes, 18 characters
    assertThat(StateCodec.encode(KEY, threeBytesEach, 38)).hasSize(38);
    assertThatThrownBy(() -> StateCodec.encode(KEY, threeBytesEach, 37))
        .isInstanceOfSatisfying(StateValueTooLargeException.class, e -> assertThat(e.size()).isEqualTo(38));
  }

  @Test
  void valuesTheStrictReaderWouldRefuseAreRefusedWhenWrittenNotWhenReadBack() {
    ArrayNode deep = JsonNodeFactory.instance.arrayNode();
    ArrayNode inner = deep;
    for (int i = 0; i < 250; i++) {
      inner = inner.addArray();
    }
    assertThatThrownBy(() -> encoded(deep)).isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(StateValueTooLargeException.class)
        .hasMessageStartingWith("value for revisions/shop.1 cannot be stored: ")
        .hasMessageContaining("nest more than 200 levels");

    JsonNode longString = Json.object().put("s", "x".repeat(1024 * 1024 + 1));
    assertThatThrownBy(() -> encoded(longString)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than the limit of 1048576")
        .hasMessageNotContaining("xxxxxxxx"); // the value is never quoted
  }

  @Test
  void decodingNamesTheLocationAndNeverQuotesTheContent() {
    byte[] bad = "{\"token\": \"s3cr3t\", }".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> StateCodec.decode(bad, KEY, "/state/revisions/shop.1.json"))
        .isInstanceOfSatisfying(CorruptStateException.class, e -> {
          assertThat(e.key()).contains(KEY);
          assertThat(e.location()).isEqualTo("/state/revisions/shop.1.json");
        })
        .hasMessageStartingWith("stored state of revisions/shop.1 at /state/revisions/shop.1.json is not valid: ")
        .hasMessageContaining("line 1, column")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aLargeFileIsRefusedBeforeItIsParsed() {
    byte[] huge = ("\"" + "x".repeat(3 * 1024 * 1024) + "\"").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> StateCodec.decode(huge, null, "ConfigMap plane/x"))
        .isInstanceOfSatisfying(CorruptStateException.class, e -> assertThat(e.key()).isEmpty())
        .hasMessageStartingWith("stored state at ConfigMap plane/x is not valid: ")
        .hasMessageContaining("larger than the limit");
  }
}
