package io.orchestrationplane.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.k8s.ResourceConverter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The read-your-writes rules of the driver's memory, one test per rule that ends an own write's precedence. */
class ObjectMemoryTest {
  private final ManualClock clock = ManualClock.create();
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ObjectMemory memory = new ObjectMemory(serialization, clock);
  private final ResourceConverter converter = ResourceConverter.of(serialization);

  /** A slot is its four parts: equal slots made from different strings find each other, and each part tells two apart. */
  @Test
  void slotsAreEqualByTheirFourPartsAlone() {
    ObjectMemory.Slot slot = new ObjectMemory.Slot("apps", "Deployment", "shop", "web");
    ObjectMemory.Slot same = new ObjectMemory.Slot(new String("apps"), new String("Deployment"), new String("shop"),
        new String("web"));

    assertThat(same).isEqualTo(slot).hasSameHashCodeAs(slot).hasToString("apps|Deployment|shop|web");
    assertThat(java.util.List.of(new ObjectMemory.Slot("", "Deployment", "shop", "web"),
        new ObjectMemory.Slot("apps", "StatefulSet", "shop", "web"), new ObjectMemory.Slot("apps", "Deployment", "", "web"),
        new ObjectMemory.Slot("apps", "Deployment", "shop", "api"))).allSatisfy(other -> assertThat(other).isNotEqualTo(slot));
    // the parts are not joined: no two slots whose joined strings collide are taken for one
    assertThat(new ObjectMemory.Slot("a|b", "c", "d", "e")).isNotEqualTo(new ObjectMemory.Slot("a", "b|c", "d", "e"));
  }

  @Test
  void anOwnWriteIsReadOverAnOlderCachedVersionUntilTheCacheShowsItsVersion() {
    Resource ours = memory.wrote(configMap("7", "uid-1", "ours"), true);
    ObjectMemory.Slot slot = ObjectMemory.slot(ours);

    assertThat(memory.ownWriteOr(slot, configMap("6", "uid-1", "before"))).isSameAs(ours);
    Resource caught = configMap("7", "uid-1", "ours");
    assertThat(memory.ownWriteOr(slot, caught)).as("the cache shows our version").isSameAs(caught);
    assertThat(memory.hasOwnWrite(slot)).as("the record is dropped once the cache caught up").isFalse();
    Resource older = configMap("6", "uid-1", "before");
    assertThat(memory.ownWriteOr(slot, older)).as("from then on the cache answers alone").isSameAs(older);
  }

  @Test
  void aLaterCachedVersionEndsTheOwnWrite() {
    Resource ours = memory.wrote(configMap("7", "uid-1", "ours"), true);

    Resource theirs = configMap("9", "uid-1", "theirs");

    assertThat(memory.ownWriteOr(ObjectMemory.slot(ours), theirs)).isSameAs(theirs);
  }

  @Test
  void anOwnDeleteHidesTheCachedObjectUntilTheCacheShowsItGoneOrReplaced() {
    Resource live = configMap("7", "uid-1", "v");
    ObjectMemory.Slot slot = ObjectMemory.slot(live);
    memory.deleted(slot, "uid-1", true);

    assertThat(memory.ownWriteOr(slot, live)).as("the deleted object, still in the cache").isNull();
    Resource recreated = configMap("8", "uid-2", "v");
    assertThat(memory.ownWriteOr(slot, recreated)).as("an object of another uid is a new one").isSameAs(recreated);
    assertThat(memory.hasOwnWrite(slot)).isFalse();

    memory.deleted(slot, "uid-2", true);
    assertThat(memory.ownWriteOr(slot, null)).as("the cache shows it gone").isNull();
    assertThat(memory.hasOwnWrite(slot)).isFalse();
  }

  @Test
  void aWriteThatRemovedTheLastFinalizerOfAMarkedObjectIsADelete() {
    Resource released = configMap("8", "uid-1", "v").edit(t ->
        ((ObjectNode) t.get("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z"));
    memory.remember(released);

    memory.wrote(released, true);

    assertThat(memory.seen(ObjectMemory.slot(released))).isFalse();
    assertThat(memory.ownWriteOr(ObjectMemory.slot(released), configMap("7", "uid-1", "v"))).isNull();
  }

  /** An object only a watch brought (another party's, of a watched kind) is converted, not seen, until the driver meets it. */
  @Test
  void anObjectConvertedFromACacheAloneIsNotSeenUntilRemembered() {
    Resource converted = memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")));
    ObjectMemory.Slot slot = ObjectMemory.slot(converted);
    assertThat(memory.seen(slot)).isFalse();
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")))).isSameAs(converted);

    memory.remember(converted);
    assertThat(memory.seen(slot)).isTrue();
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v"))))
        .as("remembering it keeps the conversion").isSameAs(converted);

    memory.forgetConversion(converted);
    memory.forgetSeen(slot);
    assertThat(memory.seen(slot)).isFalse();
    Resource again = memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")));
    assertThat(again).isNotSameAs(converted);
    assertThat(memory.seen(slot)).as("converted again, still not seen").isFalse();
  }

  @Test
  void whetherAnObjectWasSeenAndItsLastConversionAreKeptAndForgottenApart() {
    Resource seen = memory.remember(configMap("7", "uid-1", "v"));
    ObjectMemory.Slot slot = ObjectMemory.slot(seen);
    assertThat(memory.seen(slot)).isTrue();

    Resource converted = memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")));
    assertThat(memory.seen(slot)).as("a conversion leaves the object seen").isTrue();
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")))).isSameAs(converted);

    memory.forgetSeen(slot);
    assertThat(memory.seen(slot)).isFalse();
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v"))))
        .as("forgetting it was seen keeps the conversion").isSameAs(converted);

    memory.remember(converted);
    memory.forgetConversion(converted);
    assertThat(memory.seen(slot)).as("forgetting the conversion keeps it seen").isTrue();
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")))).isNotSameAs(converted)
        .isEqualTo(converted);

    memory.forgetSeen(slot);
    memory.forgetConversion(converted);
    assertThat(memory.seen(slot)).isFalse();
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "v")))).isNotSameAs(converted);
  }

  @Test
  void anOwnWriteTheWatchNeverShowsIsTrustedNoLongerThanItsBound() {
    Resource ours = memory.wrote(configMap("7", "uid-1", "ours"), true);
    Resource stale = configMap("6", "uid-1", "before");

    clock.advance(ObjectMemory.OWN_WRITE_TTL);
    assertThat(memory.ownWriteOr(ObjectMemory.slot(ours), stale)).as("at the bound").isSameAs(ours);
    clock.advance(Duration.ofMillis(1));
    assertThat(memory.ownWriteOr(ObjectMemory.slot(ours), stale)).as("past the bound").isSameAs(stale);
  }

  @Test
  void versionsThatAreNotNumbersAreNotOrderedSoTheCacheIsTakenAsCurrent() {
    Resource ours = memory.wrote(configMap("b", "uid-1", "ours"), true);
    Resource cached = configMap("a", "uid-1", "cached");

    assertThat(memory.ownWriteOr(ObjectMemory.slot(ours), cached)).isSameAs(cached);
  }

  @Test
  void writesOfKindsWhoseReadsAreNotCachedAreNotRecorded() {
    Resource ours = memory.wrote(configMap("7", "uid-1", "ours"), false);

    assertThat(memory.hasOwnWrite(ObjectMemory.slot(ours))).isFalse();
  }

  @Test
  void ownWritesAreFoundByKindUntilTheCacheShowsThemAndAgainAfterTheNextWrite() {
    Resource map = memory.wrote(configMap("7", "uid-1", "ours"), true);
    Resource secret = memory.wrote(Resource.of("v1", "Secret", "shop", "settings").edit(t -> {
      ((ObjectNode) t.get("metadata")).put("resourceVersion", "8");
    }), true);
    Resource deployment = memory.wrote(Resource.of("apps/v1", "Deployment", "shop", "settings").edit(t -> {
      ((ObjectNode) t.get("metadata")).put("resourceVersion", "9");
    }), true);
    ObjectMemory.Slot slot = ObjectMemory.slot(map);

    assertThat(memory.ownWritesOf("", "ConfigMap")).containsExactly(slot);
    assertThat(memory.ownWritesOf("", "Secret")).containsExactly(ObjectMemory.slot(secret));
    assertThat(memory.ownWritesOf("apps", "Deployment")).containsExactly(ObjectMemory.slot(deployment));
    assertThat(memory.ownWritesOf("", "Service")).isEmpty();

    memory.ownWriteOr(slot, configMap("7", "uid-1", "ours"));
    assertThat(memory.ownWritesOf("", "ConfigMap")).as("the cache caught up").isEmpty();
    memory.deleted(slot, "uid-1", true);
    assertThat(memory.ownWritesOf("", "ConfigMap")).as("a delete is an own write too").containsExactly(slot);
  }

  @Test
  void aCachedObjectIsConvertedOncePerResourceVersion() {
    GenericKubernetesResource v7 = converter.toGeneric(configMap("7", "uid-1", "a"));

    Resource first = memory.fromCache(v7);

    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "a")))).isSameAs(first);
    Resource v8 = memory.fromCache(converter.toGeneric(configMap("8", "uid-1", "b")));
    assertThat(v8).isNotSameAs(first);
    assertThat(v8.at("/data/k").asString()).isEqualTo("b");
    memory.forgetConversion(v8);
    assertThat(memory.fromCache(converter.toGeneric(configMap("8", "uid-1", "b")))).isNotSameAs(v8);
  }

  @Test
  void oneVersionIsOneResourceWhicheverOfTheWriteAnswerAndTheWatchComesFirst() {
    Resource desired = configMap("1", "uid-1", "a").withLabel("team", "shop");
    // the answer first: the watch's copy of that version is the answer itself
    Resource answer = memory.wrote(memory.toResource(converter.toGeneric(configMap("7", "uid-1", "a")
        .withLabel("team", "shop")), desired), true);
    assertThat(memory.fromCache(converter.toGeneric(configMap("7", "uid-1", "a").withLabel("team", "shop"))))
        .isSameAs(answer);

    // the watch first: the answer of that version is the watch's copy, made sharing the desired
    // object of the write announced
    Resource next = configMap("1", "uid-1", "b").withLabel("team", "shop");
    ObjectMemory.Slot slot = ObjectMemory.slot(next);
    memory.sending(slot, next);
    Resource watched = memory.fromCache(converter.toGeneric(configMap("8", "uid-1", "b").withLabel("team", "shop")));
    assertThat(memory.answer(converter.toGeneric(configMap("8", "uid-1", "b").withLabel("team", "shop")), next))
        .isSameAs(watched);
    memory.sent(slot, next);
    assertThat(watched.json().get("data")).isSameAs(next.json().get("data"));
    assertThat(watched.json().at("/metadata/labels")).isSameAs(next.json().at("/metadata/labels"));

    // a dry run's answer carries the live version but not the live content: never the cached copy
    Resource dryRun = memory.toResource(converter.toGeneric(configMap("8", "uid-1", "c")), next);
    assertThat(dryRun).isNotSameAs(watched);
    assertThat(dryRun.at("/data/k").asString()).isEqualTo("c");
  }

  @Test
  void aConversionSharesTheUnchangedPartsOfTheDesiredObjectOrOfThePreviousVersion() {
    Resource desired = configMap("1", "uid-1", "a").withLabel("team", "shop");

    Resource answer = memory.toResource(converter.toGeneric(desired.edit(t ->
        ((ObjectNode) t.get("metadata")).put("resourceVersion", "7"))), desired);
    assertThat(answer.json().get("data")).isSameAs(desired.json().get("data"));
    assertThat(answer.json().at("/metadata/labels")).isSameAs(desired.json().at("/metadata/labels"));
    assertThat(answer.resourceVersion()).isEqualTo("7");

    Resource v7 = memory.fromCache(converter.toGeneric(answer));
    Resource v8 = memory.fromCache(converter.toGeneric(answer.edit(t -> {
      ((ObjectNode) t.get("metadata")).put("resourceVersion", "8");
      ((ObjectNode) t.get("data")).put("k2", "new");
    })));
    assertThat(v8.json().at("/metadata/labels")).as("unchanged since the version before").isSameAs(v7.json().at("/metadata/labels"));
    assertThat(v8.json().at("/data/k")).isSameAs(v7.json().at("/data/k"));
    assertThat(v8.at("/data/k2").asString()).isEqualTo("new");
    assertThat(v7.json().at("/data/k2").isMissingNode()).isTrue();
  }

  @Test
  void anAnswerInTheServersOrderOfFieldsSharesTheDesiredObjectsEqualParts() {
    Resource desired = Resource.of(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        .put("apiVersion", "v1").put("kind", "Service")
        .set("metadata", tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", "web")
            .put("namespace", "shop"))).edit(t -> t.putObject("spec").put("type", "ClusterIP")
        .putObject("selector").put("app", "web"));
    Resource reordered = desired.edit(t -> {
      ObjectNode spec = (ObjectNode) t.remove("spec");
      ObjectNode answer = t.putObject("spec");
      answer.set("selector", spec.get("selector"));
      answer.set("type", spec.get("type"));
      ((ObjectNode) t.get("metadata")).put("resourceVersion", "3");
    });

    Resource answer = memory.toResource(converter.toGeneric(reordered), desired);

    assertThat(answer.json().get("spec")).isSameAs(desired.json().get("spec"));
    assertThat(answer.json()).isEqualTo(reordered.json());
  }

  @Test
  void metadataStringsManyObjectsRepeatAreOneStringAcrossObjects() {
    Resource one = inventoryLike("a", "team-a");
    Resource two = inventoryLike("b", "team-b");

    Resource first = memory.toResource(converter.toGeneric(one), null);
    Resource second = memory.toResource(converter.toGeneric(two), null);

    assertThat(second.json().at("/metadata/creationTimestamp").stringValue())
        .isSameAs(first.json().at("/metadata/creationTimestamp").stringValue());
    assertThat(second.json().at("/metadata/name").stringValue()).isSameAs(first.json().at("/metadata/name").stringValue());
    assertThat(second.annotation(io.orchestrationplane.core.resource.Inventory.GROUP_KINDS_ANNOTATION))
        .isSameAs(first.annotation(io.orchestrationplane.core.resource.Inventory.GROUP_KINDS_ANNOTATION));
    assertThat(second.json()).isEqualTo(two.json());
    // longer than the trees' own (weakly held) set of short strings takes, so only the driver could share it
    assertThat(second.annotation("user/own")).as("a user's annotation is never held beyond its object")
        .isEqualTo(first.annotation("user/own")).isNotSameAs(first.annotation("user/own"));
  }

  private static Resource inventoryLike(String value, String namespace) {
    return Resource.of("v1", "ConfigMap", namespace, "inventory").edit(t -> {
      ObjectNode metadata = (ObjectNode) t.get("metadata");
      metadata.put("resourceVersion", "1");
      metadata.put("creationTimestamp", "2026-12-04T16:00:00Z");
      metadata.putObject("annotations").put(io.orchestrationplane.core.resource.Inventory.GROUP_KINDS_ANNOTATION,
          "Deployment.apps,Service").put("user/own", "the same text, longer than a short string, in " + value.length() + " objects of this test");
    });
  }

  private static Resource configMap(String resourceVersion, String uid, String value) {
    return Resource.of("v1", "ConfigMap", "shop", "settings").edit(t -> {
      ObjectNode metadata = (ObjectNode) t.get("metadata");
      metadata.put("resourceVersion", resourceVersion);
      metadata.put("uid", uid);
      t.putObject("data").put("k", value);
    });
  }
}
