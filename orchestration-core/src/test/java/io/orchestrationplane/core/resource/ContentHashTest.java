package io.orchestrationplane.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The content hash is stored on live objects and in revisions, so its canonical form must never
 * change: keys sorted, each scalar as the compact JSON text Jackson's mapper writes for it.
 */
class ContentHashTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void theDigestIsOfTheCanonicalFormWithScalarsAsJacksonWritesThem() throws Exception {
    List<String> strings = List.of("", "plain", "acme/web:1", "a\"quote", "back\\slash", "tab\there", "line\nbreak",
        "\u0000\u0001\u001f\u007f", "caf\u00e9", "\u65e5\u672c", "emoji \ud83d\ude00", "lone \ud800 surrogate",
        "</script>", "x=y&z", "100m", "1Gi");
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      ObjectNode tree = F.objectNode();
      tree.put("apiVersion", "v1");
      ArrayNode list = tree.putArray("list");
      ObjectNode nested = tree.putObject("z-nested").putObject("a");
      for (int i = 0; i < 8; i++) {
        String s = strings.get(random.nextInt(strings.size()));
        switch (random.nextInt(9)) {
          case 0 -> list.add(s);
          case 1 -> nested.put(s, random.nextInt());
          case 2 -> nested.put("long" + i, random.nextLong());
          case 3 -> list.add(random.nextBoolean());
          case 4 -> list.addNull();
          case 5 -> nested.put("d" + i, random.nextDouble() * 1000);
          case 6 -> list.add(new java.math.BigDecimal("1.50"));
          case 7 -> nested.put("short" + i, (short) random.nextInt(100));
          default -> nested.put(s, s);
        }
      }
      assertThat(ContentHash.of(tree)).as(tree.toString()).isEqualTo(reference(tree));
    }
  }

  @Test
  void aKnownObjectKeepsItsDigest() throws Exception {
    ObjectNode tree = F.objectNode();
    tree.put("kind", "ConfigMap").put("apiVersion", "v1");
    tree.putObject("metadata").put("name", "cfg").putObject("labels").put("app.kubernetes.io/name", "web");
    tree.putObject("data").put("port", 8080).put("ratio", 0.5).put("on", true).putNull("none");
    tree.putArray("list").add("caf\u00e9").add("a\"b").add(-7L);
    String golden = "sha256:3042fb860435c16c15a91d21f6ec232806dbb8e2a69d5438293fe28dae675482"; // the digest of this object since the content hash was introduced
    assertThat(reference(tree)).isEqualTo(golden);
    assertThat(ContentHash.of(tree)).isEqualTo(golden);
  }

  @Test
  void theCanonicalWriterGivesTheDigestOfTheTreeItDescribes() throws Exception {
    List<String> strings = List.of("", "plain", "a\"quote", "back\\slash", "tab\there", "\u0000\u001f", "caf\u00e9",
        "emoji \ud83d\ude00", "lone \ud800 surrogate", "</script>", "sha256:0f");
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      ObjectNode tree = F.objectNode();
      ContentHash.Canonical canonical = new ContentHash.Canonical().beginObject();
      java.util.TreeMap<String, Object> fields = new java.util.TreeMap<>();
      for (int i = 0; i < 5; i++) {
        String key = strings.get(random.nextInt(strings.size())) + i;
        switch (random.nextInt(4)) {
          case 0 -> fields.put(key, strings.get(random.nextInt(strings.size())));
          case 1 -> fields.put(key, random.nextBoolean());
          case 2 -> fields.put(key, List.of(strings.get(random.nextInt(strings.size())), "x"));
          default -> fields.put(key, java.util.Optional.empty()); // null
        }
      }
      for (var e : fields.entrySet()) {
        canonical.key(e.getKey());
        if (e.getValue() instanceof String s) {
          tree.put(e.getKey(), s);
          canonical.string(s);
        } else if (e.getValue() instanceof Boolean b) {
          tree.put(e.getKey(), b);
          canonical.bool(b);
        } else if (e.getValue() instanceof List<?> l) {
          ArrayNode a = tree.putArray(e.getKey());
          canonical.beginArray();
          for (Object o : l) {
            a.add((String) o);
            canonical.string((String) o).next();
          }
          canonical.endArray();
        } else {
          tree.put(e.getKey(), (String) null);
          canonical.string(null);
        }
        canonical.next();
      }
      assertThat(canonical.endObject().digest()).as(tree.toString()).isEqualTo(reference(tree));
    }
  }

  @Test
  void aConcatenationIsTheStringOfItsPartsJoined() throws Exception {
    List<List<String>> cases = List.of(List.of(), List.of(""), List.of("prod", ":", "apps", "/", "Deployment", " ", "shop",
        "/", "api"), List.of("a\"b", "c\\d"), List.of("caf\u00e9", "-", "x"), List.of("tab\t", "line\n"),
        List.of("</", "script>"), List.of("emoji \ud83d", "\ude00 split"));
    for (List<String> parts : cases) {
      String joined = String.join("", parts);
      String concatenated = new ContentHash.Canonical().beginArray().concatenation(parts.toArray(new String[0])).next()
          .endArray().digest();
      assertThat(concatenated).as(parts.toString())
          .isEqualTo(new ContentHash.Canonical().beginArray().string(joined).next().endArray().digest())
          .isEqualTo(reference(F.arrayNode().add(joined)));
    }
    // pinned: a plan digest's key field of a namespaced object
    assertThat(new ContentHash.Canonical().concatenation("prod", ":", "apps", "/", "Deployment", " ", "shop", "/", "api")
        .digest()).isEqualTo("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest("\"prod:apps/Deployment shop/api\"".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("sha256:bdb05725936495797157a31c86bda23526632b1cca1b702196512c97126f2e25");
  }

  /** The canonical form, written the plain way: Jackson's mapper for every scalar. */
  private static String reference(JsonNode node) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    feed(md, node);
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static void feed(MessageDigest md, JsonNode node) {
    if (node == null || node.isMissingNode()) {
      md.update((byte) 'm');
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>(node.propertyNames());
      keys.sort(null);
      md.update((byte) '{');
      for (String k : keys) {
        md.update(k.getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':');
        feed(md, node.get(k));
        md.update((byte) ',');
      }
      md.update((byte) '}');
    } else if (node.isArray()) {
      md.update((byte) '[');
      for (JsonNode e : node) {
        feed(md, e);
        md.update((byte) ',');
      }
      md.update((byte) ']');
    } else {
      md.update(Json.writeJson(node).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void secretValuesAreLeftOutOfTheHashOfATreeAsOfAResourceAndTheTreeIsNotChanged() {
    Resource secret = Resource.of(Json.readJson(
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"c2VjcmV0\"}}"));
    Resource quoting = Resource.of(Json.readJson(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"url\":\"db://u:hunter2@db\"}}"));
    List<String> sensitive = List.of("hunter2");
    for (Resource r : List.of(secret, quoting)) {
      ObjectNode tree = r.toJson();
      String hash = ContentHash.ofWithoutSecrets(tree, Redactor.isSecret(r), sensitive);
      assertThat(hash).isEqualTo(ContentHash.ofWithoutSecrets(r, sensitive)).isNotEqualTo(ContentHash.of(tree));
      assertThat(tree).isEqualTo(r.json());
    }
    // another secret value gives the same hash: nothing in it can be confirmed by guessing
    ObjectNode other = secret.toJson();
    ((ObjectNode) other.get("data")).put("k", "b3RoZXI=");
    assertThat(ContentHash.ofWithoutSecrets(other, true, List.of())).isEqualTo(ContentHash.ofWithoutSecrets(secret, List.of()));
    ObjectNode plain = quoting.toJson();
    assertThat(ContentHash.ofWithoutSecrets(plain, false, List.of())).isEqualTo(ContentHash.of(plain));
  }
}
