package io.orchestrationplane.testkit.conformance;

import io.orchestrationplane.core.state.StateStore;

/**
 * Core's in-memory store passes the contract (the durability and damage cases do not apply and are
 * skipped). It runs here because the contract lives in the testkit, which core cannot depend on.
 */
class InMemoryStateStoreConformanceTest extends StateStoreContract {
  @Override
  protected StateStore newStore(StateStore.Config config) {
    return StateStore.inMemory(config);
  }
}
