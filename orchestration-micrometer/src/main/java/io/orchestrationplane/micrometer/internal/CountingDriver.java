package io.orchestrationplane.micrometer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.ForwardingClusterDriver;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A driver that counts each call by operation and outcome. Thread-safe as its delegate is. */
public final class CountingDriver extends ForwardingClusterDriver {
  private final Function<Tags, Counter> requests;

  public CountingDriver(ClusterDriver delegate, Function<Tags, Counter> requests) {
    super(delegate);
    this.requests = requests;
  }

  private <T> T count(String operation, Supplier<T> call) {
    String outcome = "success";
    try {
      return call.get();
    } catch (ClusterException e) {
      outcome = e.reason().name().toLowerCase(Locale.ROOT);
      throw e;
    } catch (RuntimeException e) {
      outcome = "error";
      throw e;
    } finally {
      requests.apply(Tags.of("cluster", name(), "operation", operation, "outcome", outcome)).increment();
    }
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    return count("get", () -> super.get(key));
  }

  @Override
  public Optional<Resource> get(ResourceKey key, String apiVersion) {
    return count("get", () -> super.get(key, apiVersion));
  }

  @Override
  public List<Resource> list(GroupKind kind, @Nullable String namespace, Map<String, String> labels) {
    return count("list", () -> super.list(kind, namespace, labels));
  }

  @Override
  public List<Resource> list(Collection<GroupKind> kinds, @Nullable String namespace, Map<String, String> labels) {
    return count("list", () -> super.list(kinds, namespace, labels));
  }

  @Override
  public Resource create(Resource object) {
    return count("create", () -> super.create(object));
  }

  @Override
  public Resource apply(Resource desired) {
    return count("apply", () -> super.apply(desired));
  }

  @Override
  public Resource update(Resource object) {
    return count("update", () -> super.update(object));
  }

  @Override
  public Optional<Resource> dryRunApply(Resource desired) {
    return count("dry_run_apply", () -> super.dryRunApply(desired));
  }

  @Override
  public Resource updateStatus(Resource withStatus) {
    return count("update_status", () -> super.updateStatus(withStatus));
  }

  @Override
  public boolean delete(ResourceKey key) {
    return count("delete", () -> super.delete(key));
  }

  @Override
  public boolean delete(ResourceKey key, Preconditions preconditions) {
    return count("delete", () -> super.delete(key, preconditions));
  }

  @Override
  public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
    return count("watch", () -> super.watch(kinds, listener));
  }
}
