package io.orchestrationplane.core.release;

import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.FieldDiff;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What changed in the rendered desired state from one revision to another, object by object and
 * field by field, in the types plans use. Values of Secret data and sensitive properties are
 * keyed digests ({@code hmac:...}) of the plane's redactor, never the values.
 *
 * @param application the application id
 * @param from the revision compared from
 * @param to the revision compared to
 * @param objects every object that differs, ordered by key: {@code CREATE} only in {@code to},
 *     {@code DELETE} only in {@code from}, {@code UPDATE} in both with the fields that differ
 *     ({@link FieldDiff#before()} from {@code from}, {@link FieldDiff#after()} from {@code to})
 */
public record RevisionDiff(String application, long from, long to, List<ObjectDiff> objects) {
  public RevisionDiff {
    Objects.requireNonNull(application, "application");
    objects = List.copyOf(objects);
  }

  /**
   * One object that differs.
   *
   * @param key the object on its cluster
   * @param type {@code CREATE}, {@code UPDATE} or {@code DELETE}
   * @param fields the differing fields of an update (empty for the others)
   */
  public record ObjectDiff(ResourceKey key, Change.Type type, List<FieldDiff> fields) {
    public ObjectDiff {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(type, "type");
      if (type == Change.Type.UNCHANGED) {
        throw new IllegalArgumentException("an object that differs is created, updated or deleted, not " + type);
      }
      fields = List.copyOf(fields);
    }
  }

  /** True when both revisions render the same objects. */
  public boolean isEmpty() {
    return objects.isEmpty();
  }

  /** A readable diff, as plans print changes: {@code ~ Deployment shop/api (cluster dev)} and one line per field. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append(application).append(": revision ").append(from).append(" -> ").append(to);
    if (objects.isEmpty()) {
      return out.append(": no differences\n").toString();
    }
    out.append('\n');
    for (ObjectDiff o : objects) {
      out.append(o.type().symbol()).append(' ').append(o.key().display()).append(" (cluster ")
          .append(o.key().cluster()).append(")\n");
      for (FieldDiff f : o.fields()) {
        out.append("    ").append(f.path()).append(": ").append(shown(f.before())).append(" -> ")
            .append(shown(f.after())).append('\n');
      }
    }
    return out.toString();
  }

  private static String shown(tools.jackson.databind.@Nullable JsonNode value) {
    return value == null ? "(absent)" : Json.writeJson(value);
  }

  @Override
  public String toString() {
    return "RevisionDiff[" + application + " " + from + " -> " + to + ", " + objects.size() + " objects]";
  }
}
