package io.orchestrationplane.core.release.internal;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.release.RevisionNotFoundException;
import io.orchestrationplane.core.release.RevisionSource;
import io.orchestrationplane.core.resource.ContentHash;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.internal.FrozenJson;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateStoreException;
import io.orchestrationplane.core.state.StateValueTooLargeException;
import io.orchestrationplane.core.state.StateWriteResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The revisions of every application in one {@link StateStore}: numbering, recording, retention,
 * reading. Stateless apart from the digest key it reads once, so any number of planes (threads,
 * processes sharing a backend) may use one store: numbers come from create-only writes, so of two
 * writers taking the same number exactly one succeeds and the other reads again.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code revisions/<app>.<number, 10 digits>}: one document per revision ({@link
 *       RevisionCodec}), created once and never updated; zero padding makes name order number
 *       order, so {@code list("revisions", "<app>.")} is the history, oldest first. {@code <app>}
 *       is the application id ({@code <namespace>.<name>}, at most 63 characters, both parts DNS
 *       labels), so no other application's keys share the prefix.
 *   <li>{@code revision-keys/digest}: the key of the keyed digests of secret values inside
 *       revision digests, made at random by the first plane that records a revision.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class RevisionLog {
  public static final String NAMESPACE = "revisions";
  static final StateKey DIGEST_KEY = StateKey.of("revision-keys", "digest");
  /** How often a recording reads again after losing the race for a number. */
  private static final int MAX_ATTEMPTS = 100;

  private final StateStore store;
  private final int limit;
  private final Clock clock;
  private volatile @Nullable Redactor digestKey;

  public RevisionLog(StateStore store, int limit, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    if (limit < 1) {
      throw new IllegalArgumentException("revisionHistoryLimit must be at least 1, was " + limit);
    }
    this.limit = limit;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** How many revisions are kept per application. */
  public int limit() {
    return limit;
  }

  // ---- digest

  /** The objects one environment renders onto one cluster. */
  public record Placed(String environment, String cluster, List<Resource> objects) {
    public Placed {
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(cluster, "cluster");
      objects = List.copyOf(objects);
    }
  }

  /**
   * {@code sha256:} of the rendered desired state: where each environment's objects go and what
   * they are, with each value of a Secret's {@code data} and {@code stringData} and each string
   * holding a sensitive value replaced by its digest keyed with this store's digest key. So a
   * changed secret changes the digest, and the digest confirms no guessed secret to anyone
   * without that key.
   */
  public String digest(List<Placed> placed, Set<String> sensitiveValues) {
    Redactor keyed = digestKey();
    ArrayNode root = Json.JSON.createArrayNode();
    for (Placed p : placed) {
      ObjectNode target = root.addObject();
      target.put("environment", p.environment());
      target.put("cluster", p.cluster());
      ArrayNode objects = target.putArray("objects");
      for (Resource r : p.objects()) {
        objects.add(redacted(r, keyed, sensitiveValues));
      }
    }
    return ContentHash.of(root);
  }

  private static JsonNode redacted(Resource r, Redactor keyed, Set<String> sensitive) {
    boolean secret = Redactor.isSecret(r);
    if (!secret && (sensitive.isEmpty() || !Redactor.containsAny(r.json(), sensitive))) {
      return r.json();
    }
    ObjectNode copy = r.toJson();
    if (secret) {
      for (String field : List.of("data", "stringData")) {
        if (copy.get(field) instanceof ObjectNode values) {
          for (String k : new ArrayList<>(values.propertyNames())) {
            values.set(k, keyed.redact(values.get(k)));
          }
        }
      }
    }
    return hide(copy, keyed, sensitive);
  }

  private static JsonNode hide(JsonNode node, Redactor keyed, Collection<String> sensitive) {
    if (sensitive.isEmpty()) {
      return node;
    }
    if ((node.isString() || node.isNumber() || node.isBoolean()) && Redactor.containsAny(node, sensitive)) {
      return keyed.redact(node);
    }
    if (node instanceof ObjectNode o) {
      for (String k : new ArrayList<>(o.propertyNames())) {
        o.set(k, hide(o.get(k), keyed, sensitive));
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, hide(a.get(i), keyed, sensitive));
      }
    }
    return node;
  }

  private Redactor digestKey() {
    Redactor known = digestKey;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (digestKey == null) {
        digestKey = readOrMakeDigestKey();
      }
      return digestKey;
    }
  }

  private Redactor readOrMakeDigestKey() {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<StateEntry> stored = store.get(DIGEST_KEY);
      if (stored.isPresent()) {
        JsonNode key = stored.get().value().path("key");
        try {
          byte[] bytes = Base64.getDecoder().decode(key.asString(""));
          if (stored.get().value().path("format").asInt(-1) == 1 && bytes.length >= 32) {
            return Redactor.withKey(bytes);
          }
        } catch (IllegalArgumentException notBase64) {
          // reported below
        }
        throw new CorruptStateException("the revision digest key " + DIGEST_KEY + " cannot be read: restore it from "
            + "a backup (a new key would change the digest of every revision)", DIGEST_KEY, DIGEST_KEY.toString(), null);
      }
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      ObjectNode value = JsonNodeFactory.instance.objectNode();
      value.put("format", 1);
      value.put("key", Base64.getEncoder().encodeToString(fresh));
      if (store.create(DIGEST_KEY, value).written()) {
        return Redactor.withKey(fresh);
      }
      // another plane made it first: use that one
    }
    throw new StateStoreException("could not read or create " + DIGEST_KEY + " after " + MAX_ATTEMPTS + " attempts");
  }

  // ---- recording

  /**
   * A change about to be applied, checked to fit the store before anything is written; {@link
   * #record} stores it once it was applied.
   */
  public final class Candidate {
    private final Application app;
    private final String digest;
    private final Subject subject;
    private final Origin origin;
    /**
     * The application's stored form, made once for the size check and the first record, read-only
     * and compact ({@link FrozenJson}); dropped once the revision is recorded, since a submitted
     * application's candidate is kept until the application changes (the plane's submitted map),
     * and made again should the same candidate be recorded anew (after a rollback, say).
     */
    private volatile @Nullable JsonNode model;

    private Candidate(Application app, String digest, Subject subject, Origin origin) {
      this.app = app;
      this.digest = digest;
      this.subject = subject;
      this.origin = origin;
      this.model = FrozenJson.copyOf(ApplicationCodec.toTree(app));
    }

    public String digest() {
      return digest;
    }

    /** The stored form of the application: the one made at prepare until it was recorded, else made again. */
    JsonNode model() {
      JsonNode m = model;
      return m != null ? m : FrozenJson.copyOf(ApplicationCodec.toTree(app));
    }

    /** Recorded (or found recorded): the stored form is no longer worth its memory. */
    void recorded() {
      model = null;
    }

    Revision revision(long number, Plan applied) {
      return new Revision(app.id(), number, digest, new RevisionSource(subject, clock.instant(), origin),
          applied.policies(), applied.notices(), app);
    }

    @Override
    public String toString() {
      return "Candidate[" + app.id() + ", " + digest + "]";
    }
  }

  /**
   * Checks that a revision of {@code app} fits the store and that its history reads, and returns
   * it ready to {@link #record}.
   *
   * @throws StateValueTooLargeException naming the application when its revision would not fit
   * @throws CorruptStateException when a stored revision of the application cannot be read
   */
  public Candidate prepare(Application app, String digest, Subject subject, Origin origin) {
    Objects.requireNonNull(app, "app");
    headers(app.id()); // a damaged history stops the change before anything is written, not after
    Candidate c = new Candidate(app, digest, Objects.requireNonNull(subject, "subject"),
        Objects.requireNonNull(origin, "origin"));
    Revision probe = c.revision(9_999_999_999L, new Plan(app.id(), List.of(), List.of(), List.of()));
    int size = Json.JSON.writeValueAsBytes(RevisionCodec.encode(probe, c.model())).length; // UTF-8, without the String between
    int max = store.config().maxValueBytes();
    int reserve = Math.min(4096, max / 10); // for the policy notices, known only after admission
    if (size + reserve > max) {
      // the key names the application; nothing is applied
      throw new StateValueTooLargeException(key(app.id(), 1), size + reserve, max);
    }
    return c;
  }

  /**
   * Records an applied change: a new revision numbered one above the newest, unless the newest
   * has the same digest (nothing new was accepted). Prunes beyond the limit.
   *
   * @param applied the plan that was executed: its admission notices and policy set are kept
   * @return the new revision, or empty when the desired state is the newest revision's
   */
  public Optional<Revision> record(Candidate c, Plan applied) {
    String id = c.app.id();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      List<RevisionCodec.Header> stored = headers(id);
      RevisionCodec.Header newest = stored.isEmpty() ? null : stored.get(stored.size() - 1);
      if (newest != null && newest.digest().equals(c.digest)) {
        c.recorded();
        return Optional.empty();
      }
      long number = newest == null ? 1 : newest.number() + 1;
      Revision revision = c.revision(number, applied);
      StateWriteResult w = store.create(key(id, number), RevisionCodec.encode(revision, c.model()));
      if (w.written()) {
        c.recorded();
        List<StateEntry> all = new ArrayList<>();
        stored.forEach(h -> all.add(h.entry()));
        prune(all, 1);
        return Optional.of(revision);
      }
      // another plane recorded this number first: read the history again
    }
    throw new StateStoreException("could not record a revision of " + id + " after " + MAX_ATTEMPTS
        + " attempts: other planes kept taking the next number");
  }

  /** Deletes the oldest of {@code older} (the history before {@code added} new ones) beyond the limit. */
  private void prune(List<StateEntry> older, int added) {
    int excess = older.size() + added - limit;
    for (int i = 0; i < excess && i < older.size(); i++) {
      StateEntry e = older.get(i);
      store.delete(e.key(), e.version()); // a conflict: another plane pruned it already
    }
  }

  // ---- reading

  /** Every kept revision of the application, newest first. */
  public List<Revision> history(String id) {
    List<Revision> out = new ArrayList<>();
    for (RevisionCodec.Header h : headers(id)) {
      out.add(0, RevisionCodec.decode(h.entry(), id, h.number()));
    }
    return List.copyOf(out);
  }

  /** The number of the newest kept revision, 0 when there is none; reads only the revisions' headers. */
  public long newestNumber(String id) {
    List<RevisionCodec.Header> stored = headers(id);
    return stored.isEmpty() ? 0 : stored.get(stored.size() - 1).number();
  }

  /** The revision with this number, if kept. */
  public Optional<Revision> revision(String id, long number) {
    if (number < 1 || number > 9_999_999_999L) {
      return Optional.empty();
    }
    return store.get(key(id, number)).map(e -> {
      RevisionCodec.Header h = RevisionCodec.header(e);
      checkOwner(h, id, number);
      return RevisionCodec.decode(e, id, number);
    });
  }

  /**
   * The revision a reference names: a number ({@code "7"}) or a full digest ({@code sha256:...};
   * the newest revision with it). Throws {@link RevisionNotFoundException} saying whether it was
   * pruned or never existed.
   */
  public Revision resolve(String id, String reference) {
    Objects.requireNonNull(reference, "reference");
    String ref = reference.strip();
    List<RevisionCodec.Header> stored = headers(id);
    if (ref.matches("[0-9]{1,10}")) {
      long n = Long.parseLong(ref);
      for (RevisionCodec.Header h : stored) {
        if (h.number() == n) {
          return RevisionCodec.decode(h.entry(), id, n);
        }
      }
      throw notFound(id, ref, stored, n);
    }
    if (ref.startsWith("sha256:")) {
      for (int i = stored.size() - 1; i >= 0; i--) {
        if (stored.get(i).digest().equals(ref)) {
          return RevisionCodec.decode(stored.get(i).entry(), id, stored.get(i).number());
        }
      }
      throw new RevisionNotFoundException(id, ref, "application " + id + " has no revision with digest " + ref
          + " among the " + stored.size() + " it keeps" + kept(stored)
          + " (it never existed or was pruned: the history keeps the last " + limit + ")");
    }
    throw new IllegalArgumentException("a revision is named by its number (7) or its full digest (sha256:...), not "
        + (ref.length() > 80 ? ref.length() + " characters" : "'" + ref + "'"));
  }

  /** Throws {@link RevisionNotFoundException} unless the revision with this number is kept. */
  public Revision require(String id, long number) {
    return resolve(id, Long.toString(number));
  }

  private RevisionNotFoundException notFound(String id, String ref, List<RevisionCodec.Header> stored, long n) {
    String why;
    if (stored.isEmpty()) {
      why = "it has no revisions";
    } else if (n >= 1 && n < stored.get(0).number()) {
      why = "it was pruned: the history keeps the last " + limit + kept(stored);
    } else {
      why = "it never existed" + kept(stored);
    }
    return new RevisionNotFoundException(id, ref, "application " + id + " has no revision " + ref + ": " + why);
  }

  private static String kept(List<RevisionCodec.Header> stored) {
    if (stored.isEmpty()) {
      return "";
    }
    long first = stored.get(0).number();
    long last = stored.get(stored.size() - 1).number();
    return first == last ? " (kept: " + first + ")" : " (kept: " + first + " to " + last + ")";
  }

  /** The application's stored revisions, oldest first, by header; a damaged one fails the call naming it. */
  private List<RevisionCodec.Header> headers(String id) {
    String prefix = keyPrefix(id);
    List<StateEntry> entries;
    try {
      entries = store.list(NAMESPACE, prefix);
    } catch (CorruptStateException e) {
      throw new CorruptStateException("the revision history of " + id + " cannot be read: " + e.getMessage(),
          e.key().orElse(null), e.location(), e);
    }
    List<RevisionCodec.Header> out = new ArrayList<>();
    for (StateEntry e : entries) {
      String rest = e.key().name().substring(prefix.length());
      if (rest.length() != 10 || !rest.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        continue; // not a revision key: never written by the plane, and not its history
      }
      RevisionCodec.Header h = RevisionCodec.header(e);
      checkOwner(h, id, Long.parseLong(rest));
      out.add(h);
    }
    return out;
  }

  private static void checkOwner(RevisionCodec.Header h, String id, long number) {
    if (!h.application().equals(id)) {
      throw RevisionCodec.corrupt(h.entry(), "it is a revision of another application");
    }
    if (h.number() != number) {
      throw RevisionCodec.corrupt(h.entry(), "its number is not " + number + " as its key says");
    }
  }

  // ---- keys

  private static StateKey key(String id, long number) {
    return StateKey.of(NAMESPACE, keyPrefix(id) + padded(number));
  }

  /** {@code number} in 10 digits, zero-padded ({@code String.format("%010d")} without its parser); 0 to 9,999,999,999. */
  static String padded(long number) {
    String digits = Long.toString(number);
    return digits.length() >= 10 ? digits : "0000000000".substring(digits.length()) + digits;
  }

  /**
   * {@code <app>.}, the prefix of every revision key of the application. An application id is at
   * most 63 characters (it is a label value; the validator checks it), so it is always usable as is.
   */
  static String keyPrefix(String id) {
    Objects.requireNonNull(id, "application id");
    String prefix = id + ".";
    try {
      StateKey.of(NAMESPACE, prefix + "0000000001");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + (id.length() > 80 ? id.substring(0, 77) + "..." : id)
          + "' is not an application id: <namespace>.<name>, lower-case letters, digits, '-' and '.'");
    }
    return prefix;
  }

  @Override
  public String toString() {
    return "RevisionLog[limit " + limit + "]";
  }
}
