package io.orchestrationplane.core.cluster;

import io.orchestrationplane.core.resource.Resource;
import org.jspecify.annotations.Nullable;

/**
 * What a delete requires of the live object, like Kubernetes' {@code DeleteOptions.preconditions}:
 * the delete happens only while the object still has this uid (it is the same object, not one
 * recreated under the same name) and this resourceVersion (nobody changed it since it was read).
 * A field left {@code null} is not checked; {@link #NONE} checks nothing.
 *
 * <pre>{@code
 * cluster.delete(key, Preconditions.of(live));   // fails with CONFLICT if live changed meanwhile
 * }</pre>
 *
 * @param uid the uid the live object must have, or {@code null}
 * @param resourceVersion the resourceVersion the live object must have, or {@code null}
 */
public record Preconditions(@Nullable String uid, @Nullable String resourceVersion) {
  /** No precondition: delete whatever is there. */
  public static final Preconditions NONE = new Preconditions(null, null);

  /** The uid and resourceVersion of an object as it was read. */
  public static Preconditions of(Resource live) {
    return new Preconditions(live.uid(), live.resourceVersion());
  }

  /** True when neither uid nor resourceVersion is checked. */
  public boolean isEmpty() {
    return uid == null && resourceVersion == null;
  }

  /** Why {@code live} fails these preconditions, or {@code null} when it meets them. */
  public @Nullable String violatedBy(Resource live) {
    if (uid != null && !uid.equals(live.uid())) {
      return "precondition failed: uid is " + live.uid() + ", expected " + uid
          + " (the object was deleted and created again)";
    }
    if (resourceVersion != null && !resourceVersion.equals(live.resourceVersion())) {
      return "precondition failed: resourceVersion is " + live.resourceVersion() + ", expected " + resourceVersion
          + " (the object changed since it was read)";
    }
    return null;
  }
}
