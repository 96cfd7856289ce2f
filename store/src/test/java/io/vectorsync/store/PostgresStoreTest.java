package io.vectorsync.store;

/** The store contract on a real PostgreSQL, a fresh database per test (see {@link TestPostgres}). */
class PostgresStoreTest extends StoreContract {

    private StoreSettings settings;

    @Override
    EventStoreDatabase open() {
        settings = TestPostgres.freshDatabase();
        return EventStoreDatabase.open(settings, null);
    }

    @Override
    EventStoreDatabase reopen() {
        return EventStoreDatabase.open(settings, null);
    }
}
