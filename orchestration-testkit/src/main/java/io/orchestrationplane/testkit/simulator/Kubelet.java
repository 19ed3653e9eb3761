package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.text;
import static io.orchestrationplane.testkit.simulator.Shapes.time;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the kubelet of every simulated node. A pod's status is a pure function of when the
 * simulator first saw it, its faults and the time now ({@link #status}), so the same inputs always
 * give the same status and an unchanged pod is never rewritten. A pod takes its faults when first
 * seen: those scripted for its containers' images, else the one scripted for the pod itself or
 * the nearest of its controllers (its ReplicaSet, that one's Deployment...).
 */
final class Kubelet implements SimulatedController {
  static final GroupKind KIND = new GroupKind("", "Pod");
  private static final Duration CRASH_PERIOD = Duration.ofSeconds(30);

  @Override
  public List<GroupKind> kinds() {
    return List.of(KIND);
  }

  /** Writes the status of every pod, those created in this pass included. */
  @Override
  public void step(Pass pass) {
    for (Resource pod : pass.pods()) {
      Instant born = pass.firstSeen(pod);
      Map<String, Fault> faults = pass.state().podFaults.computeIfAbsent(pod.uid(), uid -> faultsOf(pass, pod));
      PodState s = status(pod, born, faults, pass.now(), pass.timings());
      if (s.next() != null) {
        pass.upcoming(s.next());
      }
      pass.writeStatus(pod, s.status());
    }
  }

  private static Map<String, Fault> faultsOf(Pass pass, Resource pod) {
    Fault byResource = resourceFault(pass, pod);
    Map<String, Fault> out = new HashMap<>();
    for (JsonNode c : pod.json().path("spec").path("containers")) {
      Fault f = pass.state().imageFaults.getOrDefault(text(c, "image"), byResource);
      if (f != null) {
        out.put(text(c, "name"), f);
      }
    }
    return Map.copyOf(out);
  }

  /** The fault scripted for the pod itself or for its controller, its controller's controller... */
  private static @Nullable Fault resourceFault(Pass pass, Resource pod) {
    Resource current = pod;
    for (int depth = 0; depth < 4 && current != null; depth++) {
      Fault f = pass.state().resourceFaults.get(current.key(""));
      if (f != null) {
        return f;
      }
      JsonNode ref = Shapes.controllerRef(current);
      if (ref == null) {
        return null;
      }
      ResourceKey owner = ResourceKey.of(pass.cluster(), Resource.groupOf(text(ref, "apiVersion")), text(ref, "kind"),
          current.namespace(), text(ref, "name"));
      current = pass.find(owner).orElse(null);
    }
    return null;
  }

  /** A pod's status now, and the next instant at which it will change by itself (or null). */
  record PodState(ObjectNode status, @Nullable Instant next) {}

  static PodState status(Resource pod, Instant born, Map<String, Fault> faults, Instant now, Timings timings) {
    JsonNode spec = pod.json().path("spec");
    String restartPolicy = text(spec, "restartPolicy");
    boolean finite = "Never".equals(restartPolicy) || "OnFailure".equals(restartPolicy);
    ObjectNode status = Json.object();
    ArrayNode conditions = status.putArray("conditions");
    status.put("startTime", time(born));
    status.put("hostIP", "10.0.0.1");
    String uid = pod.uid() == null ? pod.name() : pod.uid();
    status.put("podIP", "10.244." + Math.floorMod(uid.hashCode(), 250) + "." + (Math.floorMod((uid + "ip").hashCode(), 250) + 1));

    if (faults.containsValue(Fault.PROGRESS_DEADLINE_EXCEEDED)) {
      status.put("phase", "Pending");
      status.remove("podIP");
      status.remove("hostIP");
      addCondition(conditions, "PodScheduled", "False", born, "Unschedulable",
          "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
              + "1 No preemption victims found for incoming pod.");
      return new PodState(status, null);
    }
    addCondition(conditions, "PodScheduled", "True", born, null, null);
    addCondition(conditions, "Initialized", "True", born, null, null);

    Instant startAt = born.plus(timings.containerStart());
    List<Instant> upcoming = new ArrayList<>();
    upcoming.add(startAt);
    ArrayNode containers = status.putArray("containerStatuses");
    List<String> unready = new ArrayList<>();
    boolean anyNotStarted = false;
    boolean allTerminated = true;
    boolean anyFailed = false;
    Instant readySince = startAt;
    for (JsonNode c : spec.path("containers")) {
      String name = text(c, "name");
      String image = text(c, "image");
      Fault fault = faults.get(name);
      ObjectNode cs = containers.addObject();
      cs.put("name", name);
      cs.put("image", image);
      cs.put("imageID", "");
      cs.put("restartCount", 0);
      ObjectNode state = cs.putObject("state");
      cs.putObject("lastState");
      boolean ready = false;
      boolean terminated = false;
      if (now.isBefore(startAt)) {
        anyNotStarted = true;
        waiting(state, "ContainerCreating", "");
      } else if (fault == Fault.IMAGE_PULL_ERROR) {
        anyNotStarted = true;
        waiting(state, "ImagePullBackOff", "Back-off pulling image \"" + image + "\": ErrImagePull: failed to pull and"
            + " unpack image \"" + image + "\": not found");
      } else if (finite) {
        boolean fails = fault == Fault.JOB_FAILURE || fault == Fault.CRASH_LOOP;
        Instant endAt = startAt.plus(fault == Fault.CRASH_LOOP ? timings.crashAfter() : timings.jobRun());
        upcoming.add(endAt);
        if (now.isBefore(endAt)) {
          state.putObject("running").put("startedAt", time(startAt));
          Instant readyAt = startAt.plus(timings.readiness());
          ready = fault != Fault.NEVER_READY && !now.isBefore(readyAt);
          upcoming.add(readyAt);
          readySince = later(readySince, readyAt);
        } else {
          terminated = true;
          anyFailed |= fails;
          terminatedState(state.putObject("terminated"), fails ? 1 : 0, fails ? "Error" : "Completed", startAt, endAt);
        }
      } else if (fault == Fault.CRASH_LOOP || fault == Fault.JOB_FAILURE) {
        Instant firstCrash = startAt.plus(fault == Fault.CRASH_LOOP ? timings.crashAfter() : timings.jobRun());
        upcoming.add(firstCrash);
        if (now.isBefore(firstCrash)) {
          state.putObject("running").put("startedAt", time(startAt));
        } else {
          long restarts = 1 + Duration.between(firstCrash, now).toSeconds() / CRASH_PERIOD.toSeconds();
          long backoff = Math.min(300, 10L << Math.min(5, restarts - 1));
          cs.put("restartCount", restarts);
          waiting(state, "CrashLoopBackOff", "back-off " + formatSeconds(backoff) + " restarting failed container="
              + name + " pod=" + pod.name() + "_" + pod.namespace() + "(" + uid + ")");
          Instant lastStart = restarts == 1 ? startAt : firstCrash.plus(CRASH_PERIOD.multipliedBy(restarts - 1));
          Instant lastEnd = restarts == 1 ? firstCrash : lastStart.plusSeconds(1);
          terminatedState(cs.putObject("lastState").putObject("terminated"), 1, "Error", lastStart, lastEnd);
        }
      } else {
        state.putObject("running").put("startedAt", time(startAt));
        Instant readyAt = startAt.plus(timings.readiness());
        upcoming.add(readyAt);
        ready = fault != Fault.NEVER_READY && !now.isBefore(readyAt);
        readySince = later(readySince, readyAt);
      }
      allTerminated &= terminated;
      cs.put("ready", ready);
      cs.put("started", state.has("running"));
      if (!ready) {
        unready.add(name);
      }
    }

    String phase;
    if (anyNotStarted) {
      phase = "Pending";
    } else if (finite && allTerminated && containers.size() > 0) {
      phase = anyFailed ? "Failed" : "Succeeded";
    } else {
      phase = "Running";
    }
    status.put("phase", phase);
    if (unready.isEmpty()) {
      addCondition(conditions, "ContainersReady", "True", readySince, null, null);
      addCondition(conditions, "Ready", "True", readySince, null, null);
    } else {
      boolean completed = "Succeeded".equals(phase) || "Failed".equals(phase);
      String reason = completed ? "PodCompleted" : "ContainersNotReady";
      String message = completed ? "" : "containers with unready status: [" + String.join(" ", unready) + "]";
      addCondition(conditions, "ContainersReady", "False", born, reason, message);
      addCondition(conditions, "Ready", "False", born, reason, message);
    }
    Instant next = upcoming.stream().filter(now::isBefore).min(Instant::compareTo).orElse(null);
    return new PodState(status, next);
  }

  /** True when the pod's Ready condition is True. */
  static boolean isReady(Resource pod) {
    JsonNode ready = Shapes.find(pod.json().path("status").path("conditions"), "Ready");
    return ready != null && "True".equals(text(ready, "status"));
  }

  /** True when the pod has been ready for at least {@code minReady} at {@code now}. */
  static boolean isAvailable(Resource pod, Duration minReady, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    if (minReady.isZero()) {
      return true;
    }
    JsonNode ready = Shapes.find(pod.json().path("status").path("conditions"), "Ready");
    Instant since = Shapes.parseTime(text(ready, "lastTransitionTime"), now);
    return !since.plus(minReady).isAfter(now);
  }

  static String phase(Resource pod) {
    return text(pod.json().path("status"), "phase");
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static void waiting(ObjectNode state, String reason, String message) {
    ObjectNode w = state.putObject("waiting");
    w.put("reason", reason);
    if (!message.isEmpty()) {
      w.put("message", message);
    }
  }

  private static void terminatedState(ObjectNode t, int exitCode, String reason, Instant started, Instant finished) {
    t.put("exitCode", exitCode);
    t.put("reason", reason);
    t.put("startedAt", time(started));
    t.put("finishedAt", time(finished));
  }

  private static void addCondition(ArrayNode conditions, String type, String status, Instant since, @Nullable String reason,
      @Nullable String message) {
    ObjectNode c = conditions.addObject();
    c.put("type", type);
    c.put("status", status);
    c.put("lastTransitionTime", time(since));
    if (reason != null) {
      c.put("reason", reason);
    }
    if (message != null && !message.isEmpty()) {
      c.put("message", message);
    }
  }

  private static String formatSeconds(long seconds) {
    return seconds >= 60 ? (seconds / 60) + "m" + (seconds % 60) + "s" : seconds + "s";
  }
}
