package io.orchestrationplane.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.informers.impl.cache.ProcessorStore;
import io.fabric8.kubernetes.client.informers.impl.cache.SharedProcessor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The informer item store, driven through fabric8's own cache machinery ({@code CacheImpl} with
 * the store set, {@code ProcessorStore} and {@code SharedProcessor} as an informer wires them, the
 * processor running handlers on the calling thread): what fabric8 gets back, what the driver reads,
 * the application index, and the events fabric8 derives from the store.
 */
class ResourceItemStoreTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ObjectMemory memory = new ObjectMemory(serialization, ManualClock.create());
  private final ResourceItemStore store = new ResourceItemStore(memory::fromCache, serialization);
  private final CacheImpl<GenericKubernetesResource> cache = new CacheImpl<>();
  private final List<String> events = new ArrayList<>();
  private final ProcessorStore<GenericKubernetesResource> informerStore;

  ResourceItemStoreTest() {
    cache.setItemStore(store);
    cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
    SharedProcessor<GenericKubernetesResource> processor = new SharedProcessor<>(Runnable::run, "test");
    processor.addProcessorListener(new ResourceEventHandler<GenericKubernetesResource>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        events.add("ADDED " + name(obj));
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        events.add("MODIFIED " + name(oldObj) + " -> " + name(newObj));
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        events.add("DELETED " + name(obj) + (deletedFinalStateUnknown ? " (final state unknown)" : ""));
      }
    }, 0, cache::list);
    informerStore = new ProcessorStore<>(cache, processor);
  }

  @Test
  void holdsTheVeryResourceTheDriverConvertsAndGivesFabric8AnEqualObjectBack() {
    GenericKubernetesResource web = configMap("prod", "web", "5", "shop", Map.of("k", "v"));
    informerStore.add(web);

    Resource held = store.resource("prod/web");
    assertThat(held).as("the conversion the driver's memory keeps").isSameAs(memory.fromCache(web));
    assertThat(held.json().path("data").path("k").asString()).isEqualTo("v");
    assertThat(cache.getByKey("prod/web")).isEqualTo(web).isNotSameAs(web);
    assertThat(cache.listKeys()).containsExactly("prod/web");
    assertThat(cache.list()).containsExactly(web);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.resource("prod/other")).isNull();
    assertThat(cache.getByKey("prod/other")).isNull();
  }

  @Test
  void clusterScopedObjectsAreKeyedByNameAlone() {
    GenericKubernetesResource ns = new GenericKubernetesResourceBuilder().withApiVersion("v1").withKind("Namespace")
        .withNewMetadata().withName("prod").withResourceVersion("3").endMetadata().build();
    informerStore.add(ns);

    assertThat(cache.listKeys()).containsExactly("prod");
    assertThat(store.resource("prod").kind()).isEqualTo("Namespace");
  }

  /** Keys are held as their parts; whatever key fabric8 puts an object under is the key it is found and removed by. */
  @Test
  void anObjectIsFoundAndRemovedByTheKeyItWasPutUnder() {
    GenericKubernetesResource web = configMap("prod", "web", "5", "shop", Map.of());
    store.put("prod/web", web);
    store.put("elsewhere/other", configMap("prod", "api", "6", "shop", Map.of())); // a key its object does not spell
    GenericKubernetesResource namespace = new GenericKubernetesResourceBuilder().withApiVersion("v1")
        .withKind("Namespace").withNewMetadata().withName("prod").withResourceVersion("3").endMetadata().build();
    store.put("prod", namespace);

    assertThat(store.keySet()).containsExactlyInAnyOrder("prod/web", "elsewhere/other", "prod");
    assertThat(store.resource("prod", "web").name()).isEqualTo("web");
    assertThat(store.resource("elsewhere/other").name()).isEqualTo("api");
    assertThat(store.resource("prod/api")).isNull();
    assertThat(store.resource("", "prod").kind()).isEqualTo("Namespace");
    assertThat(store.resource("prod").kind()).isEqualTo("Namespace");
    assertThat(store.application("shop")).extracting(Resource::name).containsExactlyInAnyOrder("web", "api");

    assertThat(store.remove("elsewhere/other")).isNotNull();
    assertThat(store.remove("prod/api")).isNull();
    assertThat(store.application("shop")).extracting(Resource::name).containsExactly("web");
    assertThat(store.remove("prod/web")).isEqualTo(web);
    assertThat(store.application("shop")).isEmpty();
    assertThat(store.keySet()).containsExactly("prod");
  }

  @Test
  void theFirstListIsAnnouncedOnSyncAndARelistDropsWhatIsGoneAsFinalStateUnknown() {
    informerStore.update(List.of(configMap("prod", "a", "1", "shop", Map.of()),
        configMap("prod", "b", "2", "shop", Map.of())));
    assertThat(events).as("fabric8 defers the first list's ADDED events to the sync").isEmpty();

    informerStore.syncList(Set.of("prod/a", "prod/b"));
    assertThat(events).containsExactlyInAnyOrder("ADDED prod/a@1", "ADDED prod/b@2");

    events.clear();
    informerStore.syncList(Set.of("prod/b"));
    assertThat(events).containsExactly("DELETED prod/a@1 (final state unknown)");
    assertThat(store.application("shop")).extracting(Resource::name).containsExactly("b");
  }

  @Test
  void anUpdateHandsFabric8ThePreviousVersionAndASameVersionPutIsNoEvent() {
    informerStore.update(List.of());
    informerStore.syncList(Set.of());
    informerStore.add(configMap("prod", "web", "5", "shop", Map.of("k", "old")));
    events.clear();

    informerStore.update(configMap("prod", "web", "6", "shop", Map.of("k", "new")));
    informerStore.update(configMap("prod", "web", "6", "shop", Map.of("k", "new")));

    assertThat(events).containsExactly("MODIFIED prod/web@5 -> prod/web@6");
    assertThat(store.resource("prod/web").json().path("data").path("k").asString()).isEqualTo("new");
  }

  @Test
  void theApplicationIndexFollowsAddsRelabelsAndDeletes() {
    informerStore.add(configMap("prod", "a", "1", "shop", Map.of()));
    informerStore.add(configMap("prod", "b", "2", "shop", Map.of()));
    informerStore.add(configMap("dev", "a", "3", "blog", Map.of()));
    informerStore.add(configMap("prod", "loose", "4", null, Map.of()));

    assertThat(store.application("shop")).extracting(Resource::name).containsExactlyInAnyOrder("a", "b");
    assertThat(store.application("blog")).extracting(Resource::namespace).containsExactly("dev");
    assertThat(store.application("none")).isEmpty();
    assertThat(store.resources()).hasSize(4);

    informerStore.update(configMap("prod", "b", "5", "blog", Map.of()));
    assertThat(store.application("shop")).extracting(Resource::name).containsExactly("a");
    assertThat(store.application("blog")).extracting(Resource::name).containsExactlyInAnyOrder("a", "b");

    informerStore.update(configMap("prod", "b", "6", null, Map.of()));
    assertThat(store.application("blog")).extracting(Resource::name).containsExactly("a");

    informerStore.delete(configMap("prod", "a", "1", "shop", Map.of()));
    informerStore.delete(configMap("dev", "a", "3", "blog", Map.of()));
    assertThat(store.application("shop")).isEmpty();
    assertThat(store.application("blog")).isEmpty();
    assertThat(store.resource("prod/a")).isNull();
    assertThat(cache.listKeys()).containsExactlyInAnyOrder("prod/b", "prod/loose");
    assertThat(events).contains("DELETED prod/a@1", "DELETED dev/a@3");
  }

  @Test
  void theApplicationIndexHoldsEveryKeyAsItGrowsPastASmallListAndShrinksToNone() {
    // a few keys are held as a list replaced whole, more as a set changed in place: both answer alike
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      names.add("cm-" + i);
      informerStore.add(configMap("prod", "cm-" + i, String.valueOf(100 + i), "shop", Map.of()));
      informerStore.add(configMap("prod", "cm-" + i, String.valueOf(100 + i), "shop", Map.of())); // again: no twin
      assertThat(store.application("shop")).extracting(Resource::name).containsExactlyInAnyOrderElementsOf(names);
    }
    for (int i = 0; i < 3; i++) { // from a small list, and back
      informerStore.add(configMap("dev", "w-" + i, String.valueOf(200 + i), "blog", Map.of()));
    }
    informerStore.update(configMap("dev", "w-1", "210", "shop", Map.of())); // relabelled into the large one
    names.add("w-1");
    assertThat(store.application("shop")).extracting(Resource::name).containsExactlyInAnyOrderElementsOf(names);
    assertThat(store.application("blog")).extracting(Resource::name).containsExactlyInAnyOrder("w-0", "w-2");
    for (int i = 19; i >= 0; i--) {
      informerStore.delete(configMap("prod", "cm-" + i, String.valueOf(100 + i), "shop", Map.of()));
      names.remove("cm-" + i);
      assertThat(store.application("shop")).extracting(Resource::name).containsExactlyInAnyOrderElementsOf(names);
    }
    informerStore.delete(configMap("dev", "w-1", "210", "shop", Map.of()));
    informerStore.delete(configMap("dev", "w-0", "200", "blog", Map.of()));
    assertThat(store.application("shop")).isEmpty();
    assertThat(store.application("blog")).extracting(Resource::name).containsExactly("w-2");
    informerStore.delete(configMap("dev", "w-2", "202", "blog", Map.of()));
    assertThat(store.application("blog")).isEmpty();
    assertThat(store.resources()).isEmpty();
  }

  @Test
  void anObjectThatCannotBeAResourceIsHeldAsFabric8GaveItAndItsReadsFail() {
    Map<String, Object> deep = new HashMap<>();
    Map<String, Object> level = deep;
    for (int i = 0; i < Resource.MAX_DEPTH + 5; i++) {
      Map<String, Object> next = new HashMap<>();
      level.put("x", next);
      level = next;
    }
    GenericKubernetesResource tooDeep = configMap("prod", "deep", "1", "shop", Map.of());
    tooDeep.setAdditionalProperty("spec", deep);
    informerStore.add(tooDeep);

    assertThat(cache.getByKey("prod/deep")).isSameAs(tooDeep);
    assertThatThrownBy(() -> store.resource("prod/deep")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.application("shop")).isInstanceOf(IllegalArgumentException.class);

    informerStore.delete(tooDeep);
    assertThat(store.application("shop")).isEmpty();
  }

  private static GenericKubernetesResource configMap(String namespace, String name, String version,
      String application, Map<String, String> data) {
    var meta = new GenericKubernetesResourceBuilder().withApiVersion("v1").withKind("ConfigMap").withNewMetadata()
        .withNamespace(namespace).withName(name).withResourceVersion(version).withUid("uid-" + namespace + name);
    if (application != null) {
      meta = meta.addToLabels(Ownership.APPLICATION_LABEL, application);
    }
    GenericKubernetesResource object = meta.endMetadata().build();
    if (!data.isEmpty()) {
      object.setAdditionalProperty("data", new HashMap<>(data));
    }
    return object;
  }

  private static String name(GenericKubernetesResource object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName() + "@"
        + object.getMetadata().getResourceVersion();
  }
}
