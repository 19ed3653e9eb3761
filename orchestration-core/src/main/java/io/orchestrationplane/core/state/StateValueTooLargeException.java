package io.orchestrationplane.core.state;

/**
 * A value whose compact JSON is larger than the store's {@link StateStore.Config#maxValueBytes()}.
 * Nothing was written. Keep large content elsewhere (a rendered manifest set belongs in the
 * cluster or an artifact store) and store its digest.
 */
public class StateValueTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final StateKey key;
  private final long size;
  private final long limit;

  /**
   * A refused value.
   *
   * @param key the key that was to be written
   * @param size the value's size in bytes of compact UTF-8 JSON
   * @param limit the store's limit in the same unit
   */
  public StateValueTooLargeException(StateKey key, long size, long limit) {
    super("value for " + key + " is " + size + " bytes of compact JSON, over the state store's limit of " + limit
        + " bytes (StateStore.Config.maxValueBytes; a Kubernetes ConfigMap holds at most 1 MiB): keep large "
        + "content elsewhere and store its digest");
    this.key = key;
    this.size = size;
    this.limit = limit;
  }

  /** The key that was to be written. */
  public StateKey key() {
    return key;
  }

  /** The value's size in bytes of compact UTF-8 JSON. */
  public long size() {
    return size;
  }

  /** The store's limit in bytes. */
  public long limit() {
    return limit;
  }
}
