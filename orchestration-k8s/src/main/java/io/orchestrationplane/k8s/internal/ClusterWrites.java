package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.k8s.ApplyMode;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.k8s.ResourceConverter;
import io.orchestrationplane.k8s.internal.ApiDiscovery.ApiKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The writes of one Kubernetes driver: create (a POST), apply (server-side apply, or create and
 * read-merge-update where the server has none, see {@link ApplyMode}), update (a PUT with the
 * resourceVersion), status writes, deletes with preconditions, and dry-run apply. Each write is
 * recorded in the {@link ObjectMemory} so that the driver's reads see it at once. Thread-safe.
 */
public final class ClusterWrites {
  // the driver's logger, as before the driver was split into collaborators
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);
  private static final int CONFLICT_RETRIES = 5;

  private final String cluster;
  private final KubernetesClient client;
  private final CallGuard guard;
  private final ApiDiscovery discovery;
  private final ResourceConverter converter;
  private final ClusterReads reads;
  private final ClusterWatches watches;
  private final ObjectMemory memory;
  private final AtomicReference<ApplyMode> applyMode;
  private final Duration requestTimeout;

  public ClusterWrites(String cluster, KubernetesClient client, CallGuard guard, ApiDiscovery discovery,
      ResourceConverter converter, ClusterReads reads, ClusterWatches watches, ObjectMemory memory,
      ApplyMode applyMode, Duration requestTimeout) {
    this.cluster = cluster;
    this.client = client;
    this.guard = guard;
    this.discovery = discovery;
    this.converter = converter;
    this.reads = reads;
    this.watches = watches;
    this.memory = memory;
    this.applyMode = new AtomicReference<>(applyMode);
    this.requestTimeout = requestTimeout;
  }

  /** How apply writes now: {@link ApplyMode#AUTO} until the first apply has found out. */
  public ApplyMode applyMode() {
    return applyMode.get();
  }

  /** Creates or updates the object, keeping other writers' fields. */
  public Resource apply(Resource desired) {
    Objects.requireNonNull(desired, "desired");
    ApiKind kind = discovery.prefer(discovery.resolve(desired.apiVersion(), desired.kind()));
    String namespace = discovery.namespaceOf(kind, desired.namespace());
    ObjectNode content = desired.toJson();
    placeIn(kind, namespace, content);
    String what = "apply " + kind.display(namespace, desired.name());
    ApplyMode mode = applyMode.get();
    if (mode == ApplyMode.CLIENT_SIDE) {
      return clientSideApply(kind, namespace, content, desired.resourceVersion(), what, desired);
    }
    try {
      Resource applied = serverSideApply(kind, namespace, content, what, desired);
      if (mode == ApplyMode.AUTO && applyMode.compareAndSet(ApplyMode.AUTO, ApplyMode.SERVER_SIDE)) {
        LOG.info("cluster {} supports server-side apply; applying as field manager {}", cluster,
            KubernetesCluster.FIELD_MANAGER);
      }
      return applied;
    } catch (ClusterException e) {
      if (mode != ApplyMode.AUTO) {
        throw e;
      }
      int code = ClusterErrors.httpCode(e);
      if (code == 415) {
        switchToClientSide("it answered HTTP 415 to server-side apply");
        return clientSideApply(kind, namespace, content, desired.resourceVersion(), what, desired);
      }
      if (code == 404 && desired.resourceVersion() == null) {
        // A server with server-side apply creates missing objects; kubernetes-mock-server says 404.
        Resource created = clientSideApply(kind, namespace, content, null, what, desired);
        switchToClientSide("it answered HTTP 404 to server-side apply of an object that a create then made");
        return created;
      }
      throw e;
    }
  }

  /**
   * Creates the object with a POST, which the API server refuses with 409 AlreadyExists when an
   * object of that name exists: nothing is ever taken over.
   */
  public Resource create(Resource object) {
    Objects.requireNonNull(object, "object");
    ApiKind kind = discovery.prefer(discovery.resolve(object.apiVersion(), object.kind()));
    String namespace = discovery.namespaceOf(kind, object.namespace());
    ObjectNode content = ClientSideApply.prepare(object.toJson());
    placeIn(kind, namespace, content);
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    String what = "create " + kind.display(namespace, object.name());
    try {
      return written(kind, namespace, object, () -> guard.call(what, secretsOf(object), () -> kind.in(client, namespace)
          .resource(body).create()));
    } catch (ClusterException e) {
      if (e.reason() == ClusterException.Reason.CONFLICT) { // a POST conflicts only with an object that exists
        throw new ClusterException(cluster, ClusterException.Reason.ALREADY_EXISTS, e.getMessage(), null, e);
      }
      throw e;
    }
  }

  /**
   * Replaces the object with a PUT carrying its resourceVersion: the API server refuses it with
   * 409 Conflict when the object moved on, and nothing is written.
   */
  public Resource update(Resource object) {
    Objects.requireNonNull(object, "object");
    if (object.resourceVersion() == null) {
      throw new IllegalArgumentException("update of " + object + " needs the resourceVersion it was read at");
    }
    ApiKind kind = discovery.resolve(object.apiVersion(), object.kind());
    String namespace = discovery.namespaceOf(kind, object.namespace());
    ObjectNode content = object.toJson();
    content.remove("status");
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    String what = "update " + kind.display(namespace, object.name());
    GenericKubernetesResource answer = guard.call(what, secretsOf(object), () -> kind.in(client, namespace)
        .resource(body).update());
    if (answer == null) {
      // No object in the answer: the update removed the last finalizer of an object marked for
      // deletion, which is gone now (kubernetes-mock-server answers so; an API server answers with
      // the object as it was when deleted, which wrote() recognises).
      Resource last = Resource.of(content);
      memory.deleted(ObjectMemory.slot(kind, namespace, object.name()), last.uid(), watches.servesReads(kind.groupKind()));
      return last;
    }
    return wrote(memory.remember(memory.answer(answer, object)));
  }

  /**
   * What a server-side apply of {@code desired} would store ({@code dryRun=All}, the plane's field
   * manager); empty when the server does not do server-side apply or apply is client-side.
   */
  public Optional<Resource> dryRunApply(Resource desired) {
    Objects.requireNonNull(desired, "desired");
    if (applyMode.get() == ApplyMode.CLIENT_SIDE) {
      return Optional.empty();
    }
    ApiKind kind = discovery.resolve(desired.apiVersion(), desired.kind());
    String namespace = discovery.namespaceOf(kind, desired.namespace());
    ObjectNode content = desired.toJson();
    content.remove("status");
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    metadata.remove(List.of("managedFields", "uid", "creationTimestamp", "generation", "resourceVersion"));
    placeIn(kind, namespace, content);
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    try {
      return Optional.of(memory.toResource(guard.call("dry-run apply " + desired, secretsOf(desired), () -> kind.in(client, namespace)
          .resource(body).dryRun().fieldManager(KubernetesCluster.FIELD_MANAGER).forceConflicts().serverSideApply()),
          desired));
    } catch (ClusterException e) {
      int code = ClusterErrors.httpCode(e);
      if (code == 415 || code == 404 || code == 405) {
        return Optional.empty(); // no server-side apply here
      }
      throw e;
    }
  }

  /** Replaces the status of an existing object through the status subresource. */
  public Resource updateStatus(Resource withStatus) {
    Objects.requireNonNull(withStatus, "withStatus");
    ApiKind kind = discovery.resolve(withStatus.apiVersion(), withStatus.kind());
    String namespace = discovery.namespaceOf(kind, withStatus.namespace());
    String expected = withStatus.resourceVersion();
    String what = "update status of " + withStatus.kind() + " " + withStatus.name();
    JsonNode status = withStatus.json().get("status");
    if (expected != null) {
      // The caller holds a version: the server checks it, so no read is needed first.
      GenericKubernetesResource body = converter.toGeneric(withStatus);
      return written(kind, namespace, withStatus, () -> guard.call(what, secretsOf(withStatus), () -> kind.in(client,
          namespace)
          .resource(body).updateStatus()));
    }
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource live = reads.readLive(kind, namespace, withStatus.name());
      if (live == null) {
        throw ClusterException.notFound(cluster, what + " on cluster " + cluster + ": object not found");
      }
      ObjectNode next = memory.toJson(live);
      if (Objects.equals(status, next.get("status"))) {
        return memory.toResource(live);
      }
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      GenericKubernetesResource body = converter.toGeneric(Resource.of(next));
      try {
        return written(kind, namespace, withStatus, () -> guard.call(what, secretsOf(withStatus, Resource.of(next)),
            () -> kind.in(client, namespace)
            .resource(body).updateStatus()));
      } catch (ClusterException e) {
        if (e.reason() != ClusterException.Reason.CONFLICT || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  /**
   * Deletes the object only while it meets the preconditions: the DELETE carries them as {@code
   * DeleteOptions.preconditions}, which the API server checks atomically (409 Conflict
   * otherwise). The object is also read first, so that servers that ignore preconditions
   * (kubernetes-mock-server) refuse a changed object too.
   */
  public boolean delete(ResourceKey key, Preconditions preconditions) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(preconditions, "preconditions");
    if (preconditions.isEmpty()) {
      return delete(key, DeletionPropagation.BACKGROUND);
    }
    ApiKind kind = discovery.servedOrNull(key.groupKind());
    if (kind == null) {
      return false;
    }
    String namespace = discovery.namespaceOf(kind, key.namespace());
    GenericKubernetesResource live = reads.readLive(kind, namespace, key.name());
    if (live == null) {
      memory.forgetSeen(ObjectMemory.slot(kind, namespace, key.name()));
      return false;
    }
    String violated = preconditions.violatedBy(memory.toResource(live));
    if (violated != null) {
      throw ClusterException.conflict(cluster, "delete " + key.display() + " on cluster " + cluster + ": " + violated);
    }
    boolean deleted = guard.call("delete " + key.display(), () -> deleteWithPreconditions(kind, namespace,
        key.name(), preconditions));
    // An object with finalizers stays, marked for deletion, until they are removed: then reads
    // go on seeing it (the watch brings its deletionTimestamp); only a removed object is forgotten.
    List<String> finalizers = live.getMetadata().getFinalizers();
    if (finalizers == null || finalizers.isEmpty()) {
      memory.deleted(ObjectMemory.slot(kind, namespace, key.name()), live.getMetadata().getUid(),
          watches.servesReads(kind.groupKind()));
    } else if (deleted) {
      rememberMarked(kind, namespace, key.name(), live.getMetadata().getUid());
    }
    return deleted;
  }

  /** Deletes the object with the given propagation policy; false when it did not exist. */
  public boolean delete(ResourceKey key, DeletionPropagation propagation) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(propagation, "propagation");
    ApiKind kind = discovery.servedOrNull(key.groupKind());
    if (kind == null) {
      return false;
    }
    String namespace = discovery.namespaceOf(kind, key.namespace());
    // What reads of a watched kind last showed: an object with finalizers stays, marked for deletion.
    Resource known = watches.servesReads(key.groupKind()) ? reads.get(key).orElse(null) : null;
    boolean deleted = guard.call("delete " + key.display(), () -> !kind.in(client, namespace).withName(key.name())
        .withPropagationPolicy(propagation).delete().isEmpty());
    if (known == null || !ObjectMemory.hasFinalizers(known)) {
      memory.deleted(ObjectMemory.slot(kind, namespace, key.name()), known == null ? null : known.uid(),
          watches.servesReads(kind.groupKind()));
    } else if (deleted) {
      rememberMarked(kind, namespace, key.name(), known.uid());
    }
    return deleted;
  }

  /**
   * A delete of an object held by finalizers marks it for deletion and keeps it. Reads of a
   * watched kind must show the mark at once, not the unmarked object that the informer's store
   * holds until the MODIFIED event arrives, so the marked object is read and recorded as this
   * driver's write. When that read fails the delete still happened: reads then show the mark
   * once the watch brings it.
   */
  private void rememberMarked(ApiKind kind, String namespace, String objectName, String uid) {
    if (!watches.servesReads(kind.groupKind())) {
      return;
    }
    ObjectMemory.Slot slot = ObjectMemory.slot(kind, namespace, objectName);
    GenericKubernetesResource marked;
    try {
      marked = reads.readLive(kind, namespace, objectName);
    } catch (ClusterException e) {
      LOG.debug("reading {} on cluster {} after its delete failed", kind.display(namespace, objectName), cluster, e);
      return;
    }
    if (marked == null) {
      memory.deleted(slot, uid, true); // its finalizers were removed meanwhile: it is gone
      return;
    }
    memory.wrote(memory.remember(memory.toResource(marked)), true);
  }

  /**
   * Sends a write of {@code desired} and converts the answer so that it shares {@code desired}'s
   * unchanged parts, as does the watch's copy should it arrive first ({@link ObjectMemory#sending}).
   */
  private Resource written(ApiKind kind, String namespace, Resource desired,
      Supplier<GenericKubernetesResource> write) {
    ObjectMemory.Slot slot = ObjectMemory.slot(kind, namespace, desired.name());
    memory.sending(slot, desired);
    try {
      // recorded as an own write before the announcement ends, so that the watch's copy of this
      // version is either made sharing desired or is this very answer
      return wrote(memory.remember(memory.answer(write.get(), desired)));
    } finally {
      memory.sent(slot, desired);
    }
  }

  private Resource wrote(Resource stored) {
    return memory.wrote(stored, watches.servesReads(stored.groupKind()));
  }

  /** The secret values the objects hold (a Secret's data and stringData), for scrubbing failures. */
  private static Set<String> secretsOf(Resource... objects) {
    Set<String> out = new LinkedHashSet<>();
    for (Resource o : objects) {
      out.addAll(Redactor.secretValues(o, List.of()));
    }
    return out;
  }

  private static void placeIn(ApiKind kind, String namespace, ObjectNode content) {
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    if (kind.namespaced()) {
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
  }

  private void switchToClientSide(String why) {
    if (applyMode.compareAndSet(ApplyMode.AUTO, ApplyMode.CLIENT_SIDE)) {
      LOG.info("cluster {} does not support server-side apply ({}); applying by create or "
          + "read-merge-update with resourceVersion from now on", cluster, why);
    }
  }

  private Resource serverSideApply(ApiKind kind, String namespace, ObjectNode content, String what, Resource desired) {
    content.remove("status");
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    metadata.remove(List.of("managedFields", "uid", "creationTimestamp", "generation"));
    GenericKubernetesResource body = converter.toGeneric(Resource.of(content));
    return written(kind, namespace, desired, () -> guard.call(what, secretsOf(desired), () -> kind.in(client, namespace)
        .resource(body).fieldManager(KubernetesCluster.FIELD_MANAGER).forceConflicts().serverSideApply()));
  }

  private Resource clientSideApply(ApiKind kind, String namespace, ObjectNode content, String expectedVersion,
      String what, Resource desired) {
    ObjectNode prepared = ClientSideApply.prepare(content);
    String objectName = prepared.get("metadata").get("name").asString();
    if (expectedVersion == null && !memory.seen(ObjectMemory.slot(kind, namespace, objectName))) {
      try {
        GenericKubernetesResource body = converter.toGeneric(Resource.of(prepared));
        return written(kind, namespace, desired, () -> guard.call(what, secretsOf(desired), () -> kind.in(client,
            namespace).resource(body).create()));
      } catch (ClusterException e) {
        if (e.reason() != ClusterException.Reason.CONFLICT && e.reason() != ClusterException.Reason.ALREADY_EXISTS) {
          throw e;
        }
        // It exists: merge into it below.
      }
    }
    // A watched object that the store shows converged needs no request at all (a re-apply of a
    // converged set costs nothing on the API server). Anything else is decided on a live read,
    // and the update carries that read's resourceVersion, so a lagging store never causes a
    // wrong write; at worst it defers a write until the watch brings the change, which the
    // plane then reconciles. A pinned resourceVersion is always checked against the server.
    if (expectedVersion == null) {
      Resource cached = reads.cachedOrNull(kind, namespace, objectName);
      if (cached != null && ClientSideApply.merge(cached.toJson(), prepared).equals(cached.json())) {
        return memory.remember(cached);
      }
    }
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource live = reads.readLive(kind, namespace, objectName);
      if (live == null) {
        if (expectedVersion != null) {
          throw ClusterException.conflict(cluster, what + " on cluster " + cluster
              + ": object was deleted (write carried resourceVersion " + expectedVersion + ")");
        }
        GenericKubernetesResource body = converter.toGeneric(Resource.of(prepared));
        try {
          return written(kind, namespace, desired, () -> guard.call(what, secretsOf(desired), () -> kind.in(client,
              namespace).resource(body).create()));
        } catch (ClusterException e) {
          if ((e.reason() != ClusterException.Reason.CONFLICT && e.reason() != ClusterException.Reason.ALREADY_EXISTS)
              || attempt >= CONFLICT_RETRIES) {
            throw e;
          }
          continue;
        }
      }
      ObjectNode liveTree = memory.toJson(live);
      String liveVersion = live.getMetadata().getResourceVersion();
      if (expectedVersion != null && !expectedVersion.equals(liveVersion)) {
        throw ClusterException.conflict(cluster, what + " on cluster " + cluster + ": stale resourceVersion "
            + expectedVersion + ", live is " + liveVersion);
      }
      ObjectNode merged = ClientSideApply.merge(liveTree, prepared);
      if (merged.equals(liveTree)) {
        return memory.remember(memory.toResource(live));
      }
      ((ObjectNode) merged.get("metadata")).put("resourceVersion", liveVersion);
      GenericKubernetesResource body = converter.toGeneric(Resource.of(merged));
      try {
        // a server's message may quote the live values as well as the new ones
        Set<String> secrets = Redactor.isSecret(desired)
            ? secretsOf(desired, Resource.of(merged), memory.toResource(live)) : Set.of();
        return written(kind, namespace, desired, () -> guard.call(what, secrets,
            () -> kind.in(client, namespace).resource(body).update()));
      } catch (ClusterException e) {
        // Someone wrote in between: re-read and merge again, unless the caller pinned a version.
        if (e.reason() != ClusterException.Reason.CONFLICT || expectedVersion != null
            || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        LOG.debug("{} on cluster {}: conflict, re-reading (attempt {})", what, cluster, attempt);
      }
    }
  }

  private boolean deleteWithPreconditions(ApiKind kind, String namespace, String objectName, Preconditions pre) {
    ObjectNode options = Json.object();
    options.put("apiVersion", "v1");
    options.put("kind", "DeleteOptions");
    options.put("propagationPolicy", "Background");
    ObjectNode p = options.putObject("preconditions");
    if (pre.uid() != null) {
      p.put("uid", pre.uid());
    }
    if (pre.resourceVersion() != null) {
      p.put("resourceVersion", pre.resourceVersion());
    }
    String base = client.getMasterUrl().toString().replaceAll("/+$", "");
    String path = (kind.group().isEmpty() ? "/api/" + kind.version() : "/apis/" + kind.group() + "/" + kind.version())
        + (kind.namespaced() ? "/namespaces/" + encode(namespace) : "") + "/" + kind.plural() + "/" + encode(objectName);
    HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
        .uri(base + path).delete("application/json", Json.writeJson(options)).build();
    HttpResponse<String> response;
    try {
      response = client.getHttpClient().sendAsync(request, String.class)
          .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException("delete failed", e);
    }
    if (response.code() == 404) {
      return false;
    }
    if (response.code() >= 400) {
      Status status;
      try {
        status = client.getKubernetesSerialization().unmarshal(response.body(), Status.class);
      } catch (RuntimeException e) {
        status = new StatusBuilder().withCode(response.code()).withMessage("HTTP " + response.code()).build();
      }
      if (status.getCode() == null) {
        status.setCode(response.code());
      }
      throw new KubernetesClientException(status);
    }
    return true;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
