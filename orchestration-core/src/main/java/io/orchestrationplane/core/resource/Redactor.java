package io.orchestrationplane.core.resource;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Keeps secret values out of everything the plane shows: plans, status, events, logs and
 * exception messages. A secret value is shown as a digest keyed with this redactor's key
 * ({@code hmac:1a2b3c4d5e6f}, HMAC-SHA256), so a reader who guesses a value cannot confirm the
 * guess by hashing it, and the same value gives the same digest within one plane, which keeps
 * plans comparable.
 *
 * <p>Secret values are the values of a core {@code Secret}'s {@code data} (as written and
 * base64-decoded) and {@code stringData}, and the values of component properties that their type
 * marks sensitive. Free text that may quote them (a server's error message, a policy's message)
 * goes through {@link #scrub}: values of {@value #MIN_SCRUBBED_LENGTH} characters or more are
 * replaced by their digests; when a shorter one is involved, the text is withheld altogether,
 * since replacing every occurrence of a one-letter value would not hide it either.
 *
 * <pre>{@code
 * Redactor redactor = Redactor.withKey(keyBytes);    // or Redactor.random()
 * redactor.digest("hunter2");                         // "hmac:…"
 * redactor.scrub(serverMessage, Redactor.secretValues(secret)); // digests instead of values
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Redactor {
  /** Secret values shorter than this make {@link #scrub} withhold the whole text. */
  public static final int MIN_SCRUBBED_LENGTH = 8;

  private static final String PREFIX = "hmac:";
  private static final int SHOWN_HEX = 12;

  /** The key; for {@link #random()}, null until the first digest draws it. */
  private volatile byte @Nullable [] key;

  private Redactor(byte @Nullable [] key) {
    if (key != null && key.length < 16) {
      throw new IllegalArgumentException("a redaction key needs at least 16 bytes, got " + key.length);
    }
    this.key = key == null ? null : key.clone();
  }

  /**
   * A redactor with a fresh random key: digests are comparable only within this instance. The key
   * is drawn at the first digest, so a plane that never redacts never seeds a {@code SecureRandom}
   * (a noticeable part of a fresh JVM's first plan).
   */
  public static Redactor random() {
    return new Redactor(null);
  }

  private byte[] key() {
    byte[] k = key;
    if (k == null) {
      synchronized (this) {
        k = key;
        if (k == null) {
          k = new byte[32];
          new SecureRandom().nextBytes(k);
          key = k;
        }
      }
    }
    return k;
  }

  /**
   * A redactor with the given key (at least 16 bytes): planes that share the key show the same
   * digests, as golden files and separate CI steps need.
   */
  public static Redactor withKey(byte[] key) {
    return new Redactor(java.util.Objects.requireNonNull(key, "key"));
  }

  /** {@code hmac:<12 hex digits>} of a value, keyed. */
  public String digest(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(), "HmacSHA256"));
      byte[] d = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(d).substring(0, SHOWN_HEX);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM has no HmacSHA256", e);
    }
  }

  /** The digest of a JSON value: of its text for a string, of its compact JSON otherwise. */
  public String digest(JsonNode value) {
    return digest(value.isString() ? value.stringValue() : Json.writeJson(value));
  }

  /** A JSON string node holding the digest of {@code value}. */
  public JsonNode redact(JsonNode value) {
    return StringNode.valueOf(digest(value));
  }

  /**
   * The text with every secret value replaced by its digest; when a secret value shorter than
   * {@value #MIN_SCRUBBED_LENGTH} characters is among them, {@code withheld} instead (the text
   * could quote it in ways no replacement finds, and replacing a letter everywhere reveals it).
   */
  public String scrub(String text, Collection<String> secrets, String withheld) {
    if (text == null || text.isEmpty() || secrets.isEmpty()) {
      return text == null ? "" : text;
    }
    List<String> values = new ArrayList<>();
    for (String s : secrets) {
      if (s == null || s.isEmpty()) {
        continue;
      }
      if (s.length() < MIN_SCRUBBED_LENGTH) {
        return withheld;
      }
      values.add(s);
    }
    values.sort((a, b) -> b.length() - a.length()); // longest first: no value is half replaced
    String out = text;
    for (String s : values) {
      if (out.contains(s)) {
        out = out.replace(s, digest(s));
      }
    }
    return out;
  }

  /**
   * The secret values an object holds: for a core {@code Secret}, the values of {@code data} (as
   * written and decoded) and {@code stringData}; for any object, those of {@code extra} (values
   * of sensitive properties) that occur in it. Empty when it holds none.
   */
  public static Set<String> secretValues(@Nullable Resource object, Collection<String> extra) {
    if (object == null) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    if (isSecret(object)) {
      for (Map.Entry<String, JsonNode> e : object.json().path("data").properties()) {
        String value = e.getValue().asString("");
        out.add(value);
        try {
          out.add(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
          // as written only
        }
      }
      for (Map.Entry<String, JsonNode> e : object.json().path("stringData").properties()) {
        String value = e.getValue().asString("");
        out.add(value);
        out.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    if (!extra.isEmpty() && containsAny(object.json(), extra)) {
      out.addAll(extra);
    }
    out.remove("");
    return out;
  }

  /** True for a core {@code Secret}, whose {@code data} and {@code stringData} are secret values. */
  public static boolean isSecret(Resource object) {
    return object.kind().equals("Secret") && object.group().isEmpty();
  }

  /** True when some string in the tree contains one of the values. Iterative: any depth is fine. */
  public static boolean containsAny(JsonNode tree, Collection<String> values) {
    if (values.isEmpty()) {
      return false;
    }
    java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
    todo.push(tree);
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (n.isString()) {
        String s = n.stringValue();
        for (String v : values) {
          if (!v.isEmpty() && s.contains(v)) {
            return true;
          }
        }
      } else if (n.isNumber() || n.isBoolean()) {
        String s = n.asString();
        if (values.contains(s)) {
          return true;
        }
      } else if (n.isContainer()) {
        n.forEach(todo::push);
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Redactor[key hidden]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Redactor other && Arrays.equals(key(), other.key());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key());
  }
}
