package io.orchestrationplane.jdbc;

import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.testkit.conformance.StateStoreContract;

/**
 * The JDBC store passes the whole {@link StateStoreContract} against a real PostgreSQL server:
 * every test in a schema of its own, durability by a second store over the same schema, damage by
 * an {@code UPDATE} that changes a value behind the store's back (its digest no longer matches).
 */
class JdbcStateStoreConformanceIT extends StateStoreContract {
  private String schema;

  @Override
  protected StateStore newStore(StateStore.Config config) {
    schema = Postgres.freshSchema();
    return JdbcStateStore.builder(Postgres.dataSource()).schema(schema).config(config).build();
  }

  @Override
  protected boolean durable() {
    return true;
  }

  @Override
  protected StateStore reopen(StateStore.Config config) {
    return JdbcStateStore.builder(Postgres.dataSource()).schema(schema).config(config).build();
  }

  @Override
  protected boolean damageable() {
    return true;
  }

  @Override
  protected void damage(StateStore store, StateKey key) {
    Postgres.execute("UPDATE " + schema + ".state SET value = '{\"step\":\"edited by hand\"}' WHERE namespace = '"
        + key.namespace() + "' AND name = '" + key.name() + "'");
  }
}
