package io.orchestrationplane.core.apply;

import java.util.List;

/**
 * A plan whose live state changed after it was computed: executing it could overwrite someone
 * else's change, so nothing was written. Plan again and review the new plan.
 */
public class StalePlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> stale;

  public StalePlanException(String application, List<String> stale) {
    super("plan for application " + application + " is stale, nothing was applied; plan again. Changed since planning:\n  - "
        + String.join("\n  - ", stale));
    this.stale = List.copyOf(stale);
  }

  /** One line per object that changed since planning. */
  public List<String> stale() {
    return stale;
  }
}
