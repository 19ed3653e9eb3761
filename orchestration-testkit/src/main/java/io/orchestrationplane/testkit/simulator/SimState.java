package io.orchestrationplane.testkit.simulator;

import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the simulator remembers between passes; everything else is read from the cluster. */
final class SimState {
  /** When the simulator first saw an object, by uid: the origin of its timeline. */
  final Map<String, Instant> firstSeen = new HashMap<>();
  /** A pod's faults by container name, fixed when the pod is first seen. */
  final Map<String, Map<String, Fault>> podFaults = new HashMap<>();
  /** A Deployment's last progress, by uid, for the progress deadline. */
  final Map<String, Progress> progress = new HashMap<>();
  /** Scripted faults by workload (cluster field empty). */
  final Map<ResourceKey, Fault> resourceFaults = new LinkedHashMap<>();
  /** Scripted faults by exact image reference. */
  final Map<String, Fault> imageFaults = new LinkedHashMap<>();

  /**
   * Objects whose status the server did not keep when the simulator wrote it (kubernetes-mock-server
   * drops a Namespace's status, say), by uid and the status written: not written again, or the
   * simulation would never settle.
   */
  final Map<String, String> statusNotKept = new HashMap<>();

  record Progress(String signature, Instant since) {}

  /** Forgets objects that no longer exist, so memory follows the cluster's size. */
  void retain(Set<String> liveUids) {
    firstSeen.keySet().retainAll(liveUids);
    podFaults.keySet().retainAll(liveUids);
    progress.keySet().retainAll(liveUids);
    statusNotKept.keySet().retainAll(liveUids);
  }
}
