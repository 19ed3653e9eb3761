package io.orchestrationplane.policy;

import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One admission request: what is done to which object, by whom. The group, version and kind come from the
 * object's {@code apiVersion}/{@code kind} (from {@code oldObject} for DELETE); the resource name from the
 * engine's {@link KindMapping} unless set.
 *
 * <pre>{@code
 * AdmissionRequest r = AdmissionRequest.builder(Operation.CREATE).object(pod).namespaceObject(ns).build();
 * }</pre>
 */
public final class AdmissionRequest {
  private final Operation operation;
  private final @Nullable JsonNode object;
  private final @Nullable JsonNode oldObject;
  private final @Nullable JsonNode namespaceObject;
  private final UserInfo userInfo;
  private final @Nullable ParamResolver params;
  private final @Nullable String namespace;
  private final @Nullable String resource;
  private final @Nullable String subResource;
  private final boolean dryRun;
  private final String uid;
  private final @Nullable String name;
  private final boolean objectOnly;

  private AdmissionRequest(Builder b) {
    this.operation = Objects.requireNonNull(b.operation, "operation");
    this.object = b.object;
    this.oldObject = b.oldObject;
    if (object == null && oldObject == null) {
      throw new IllegalArgumentException("an admission request needs object or oldObject");
    }
    // An UPDATE without oldObject is evaluated with oldObject = null, as gator does with such reviews.
    if (operation == Operation.UPDATE && object == null) {
      throw new IllegalArgumentException("an UPDATE request needs an object");
    }
    this.namespaceObject = b.namespaceObject;
    this.userInfo = b.userInfo;
    this.params = b.params;
    this.namespace = b.namespace;
    this.resource = b.resource;
    this.subResource = b.subResource;
    this.dryRun = b.dryRun;
    this.uid = b.uid == null ? "" : b.uid;
    this.name = b.name;
    this.objectOnly = b.objectOnly;
  }

  public static Builder builder(Operation operation) {
    return new Builder(operation);
  }

  public Operation operation() { return operation; }
  /** The new object; null for DELETE. */
  public @Nullable JsonNode object() { return object; }
  /** The existing object; null for CREATE (and for an UPDATE replayed without one). */
  public @Nullable JsonNode oldObject() { return oldObject; }
  /** The Namespace object of the request's namespace; null if unknown or cluster-scoped. */
  public @Nullable JsonNode namespaceObject() { return namespaceObject; }
  public UserInfo userInfo() { return userInfo; }
  /** Where params are looked up; null = the engine's resolver. */
  public @Nullable ParamResolver params() { return params; }
  /** The request namespace; null = the object's {@code metadata.namespace}. */
  public @Nullable String namespace() { return namespace; }
  /** The resource name (e.g. {@code pods}); null = from the engine's {@link KindMapping}. */
  public @Nullable String resource() { return resource; }
  public @Nullable String subResource() { return subResource; }
  public boolean dryRun() { return dryRun; }
  /** The request's uid (echoed in an AdmissionReview response); empty when not set. */
  public String uid() { return uid; }
  /** The request name; null = the object's {@code metadata.name}. */
  public @Nullable String name() { return name; }
  /**
   * True for the review of a bare object, as gator reviews an object file that is not an
   * AdmissionReview: matched as {@link #operation()}, but CEL's {@code request} shows what such a
   * review carries, an empty {@code operation}, {@code resource} and {@code requestResource}.
   */
  public boolean objectOnly() { return objectOnly; }

  /** A builder with every field of this request, to change some (e.g. the object after mutation). */
  public Builder toBuilder() {
    Builder b = new Builder(operation).object(object).oldObject(oldObject).namespaceObject(namespaceObject)
        .userInfo(userInfo).params(params).namespace(namespace).resource(resource).subResource(subResource)
        .dryRun(dryRun).uid(uid).name(name).objectOnly(objectOnly);
    return b;
  }

  /** Builder; {@code userInfo} defaults to {@link UserInfo#CLUSTER_ADMIN}. */
  public static final class Builder {
    private final Operation operation;
    private @Nullable JsonNode object;
    private @Nullable JsonNode oldObject;
    private @Nullable JsonNode namespaceObject;
    private UserInfo userInfo = UserInfo.CLUSTER_ADMIN;
    private @Nullable ParamResolver params;
    private @Nullable String namespace;
    private @Nullable String resource;
    private @Nullable String subResource;
    private boolean dryRun;
    private @Nullable String uid;
    private @Nullable String name;
    private boolean objectOnly;

    private Builder(Operation operation) { this.operation = operation; }

    public Builder object(@Nullable JsonNode object) { this.object = object; return this; }
    public Builder oldObject(@Nullable JsonNode oldObject) { this.oldObject = oldObject; return this; }
    public Builder namespaceObject(@Nullable JsonNode ns) { this.namespaceObject = ns; return this; }
    public Builder userInfo(UserInfo userInfo) { this.userInfo = Objects.requireNonNull(userInfo, "userInfo"); return this; }
    public Builder params(@Nullable ParamResolver params) { this.params = params; return this; }
    public Builder namespace(@Nullable String namespace) { this.namespace = namespace; return this; }
    public Builder resource(@Nullable String resource) { this.resource = resource; return this; }
    public Builder subResource(@Nullable String subResource) { this.subResource = subResource; return this; }
    public Builder dryRun(boolean dryRun) { this.dryRun = dryRun; return this; }
    public Builder uid(String uid) { this.uid = uid; return this; }
    public Builder name(@Nullable String name) { this.name = name; return this; }
    /** See {@link AdmissionRequest#objectOnly()}. */
    public Builder objectOnly(boolean objectOnly) { this.objectOnly = objectOnly; return this; }

    public AdmissionRequest build() { return new AdmissionRequest(this); }
  }
}
