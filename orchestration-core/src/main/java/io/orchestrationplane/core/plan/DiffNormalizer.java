package io.orchestrationplane.core.plan;

import io.orchestrationplane.core.resource.Resource;
import java.util.Optional;

/**
 * A user's rule for differences the planner should not count, for cases a path or a field
 * manager cannot express (a field a mutating webhook rewrites in a known way, say). Called only
 * for differences the planner found; return why to ignore one, or empty to keep it. An ignored
 * difference never makes a write and is still shown by {@link Plan#toText(boolean)}.
 *
 * <pre>{@code
 * DiffNormalizer imageDigests = (diff, desired, live) ->
 *     diff.path().endsWith(".image") && diff.before() != null
 *         && diff.before().asString().startsWith(diff.after().asString() + "@sha256:")
 *     ? Optional.of("image pinned to a digest by the registry webhook") : Optional.empty();
 * }</pre>
 *
 * <p>Implementations must be thread-safe and decide from their arguments alone.
 */
@FunctionalInterface
public interface DiffNormalizer {
  /**
   * Why {@code diff} between {@code desired} and {@code live} does not count, or empty when it
   * does. Values of sensitive fields in {@code diff} are digests.
   */
  Optional<String> ignore(FieldDiff diff, Resource desired, Resource live);
}
