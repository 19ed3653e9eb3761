package io.orchestrationplane.core.state;

/** The in-memory store passes the contract (the durability and damage cases do not apply and are skipped). */
class InMemoryStateStoreTest extends StateStoreContract {
  @Override
  protected StateStore newStore(StateStore.Config config) {
    return StateStore.inMemory(config);
  }
}
