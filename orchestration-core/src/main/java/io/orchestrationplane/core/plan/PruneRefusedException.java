package io.orchestrationplane.core.plan;

import java.util.Objects;

/**
 * A change refused by the {@link PruneBreaker}: nothing of it was written. Apply it again with
 * {@link PruneConsent#CONFIRMED} when its deletions are meant.
 */
public final class PruneRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient PruneBreaker.Tripped tripped;

  public PruneRefusedException(PruneBreaker.Tripped tripped) {
    super(Objects.requireNonNull(tripped, "tripped").message());
    this.tripped = tripped;
  }

  /** What tripped the breaker: the counts. */
  public PruneBreaker.Tripped tripped() {
    return tripped;
  }
}
