package io.orchestrationplane.testkit.simulator;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.util.List;

/**
 * A controller of one kind that reconciles each object on its own: a step lists the kind afresh
 * (so it sees what controllers before it in the pass wrote) and reconciles every object in turn.
 */
abstract class ObjectController implements SimulatedController {
  private final GroupKind kind;

  ObjectController(GroupKind kind) {
    this.kind = kind;
  }

  @Override
  public final List<GroupKind> kinds() {
    return List.of(kind);
  }

  @Override
  public final void step(Pass pass) {
    for (Resource object : pass.list(kind)) {
      reconcile(pass, object);
    }
  }

  /** Brings the object's dependents and status up to date at the pass's instant. */
  abstract void reconcile(Pass pass, Resource object);
}
