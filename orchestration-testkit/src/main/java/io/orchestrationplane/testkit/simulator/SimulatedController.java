package io.orchestrationplane.testkit.simulator;

import io.orchestrationplane.core.resource.GroupKind;
import java.util.List;

/**
 * One Kubernetes controller the simulator plays (the Deployment controller, the kubelet, the
 * garbage collector...). A controller keeps nothing between passes: what it remembers lives in
 * the {@link SimState} the {@link Pass} hands it, everything else it reads from the cluster.
 */
interface SimulatedController {
  /**
   * The kinds it reconciles: a change to an object of one of them is a reason to run a pass, so
   * the simulator watches them (see {@link WorkloadSimulator#kinds()}).
   */
  List<GroupKind> kinds();

  /**
   * Reconciles every object of its kinds once, at the pass's instant: reads and writes through
   * {@code pass}, and tells it when something will next change by itself.
   */
  void step(Pass pass);
}
