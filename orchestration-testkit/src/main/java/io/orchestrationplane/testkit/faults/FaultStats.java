package io.orchestrationplane.testkit.faults;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a {@link FaultyCluster} did so far: calls per operation, injected failures per kind and
 * per operation, and the latency it added.
 *
 * @param calls calls per operation, failed or not
 * @param injected injected failures per kind
 * @param injectedByOperation injected failures per operation
 * @param addedLatency the simulated time added to calls
 */
public record FaultStats(Map<Operation, Long> calls, Map<Failure, Long> injected,
    Map<Operation, Long> injectedByOperation, Duration addedLatency) {
  public FaultStats {
    calls = ordered(Operation.class, calls);
    injected = ordered(Failure.class, injected);
    injectedByOperation = ordered(Operation.class, injectedByOperation);
  }

  // in enum order, so toString() reads the same in every run
  private static <E extends Enum<E>> Map<E, Long> ordered(Class<E> type, Map<E, Long> values) {
    EnumMap<E, Long> copy = new EnumMap<>(type);
    copy.putAll(values);
    return Collections.unmodifiableMap(copy);
  }

  /** Calls of one operation. */
  public long calls(Operation operation) {
    return calls.getOrDefault(operation, 0L);
  }

  /** Every call of every operation. */
  public long totalCalls() {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Injected failures of one kind. */
  public long injected(Failure failure) {
    return injected.getOrDefault(failure, 0L);
  }

  /** Injected failures of one operation. */
  public long injected(Operation operation) {
    return injectedByOperation.getOrDefault(operation, 0L);
  }

  /** Every injected failure. */
  public long totalInjected() {
    return injected.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return totalInjected() + " of " + totalCalls() + " calls failed " + injected + ", latency added " + addedLatency;
  }
}
