package io.vectorsync.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on the embedded H2 file. */
class H2StoreTest extends StoreContract {

    @TempDir
    Path dataDir;

    @Override
    EventStoreDatabase open() {
        return EventStoreDatabase.openH2(dataDir);
    }

    @Override
    EventStoreDatabase reopen() {
        return EventStoreDatabase.openH2(dataDir);
    }

    @Test
    void theGlobalIndexIsHandedOutFromACacheSoH2DoesNotStoreEveryThirtyTwoAppends() throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                     + "WHERE TABLE_NAME = 'DOMAINEVENTENTRY' AND COLUMN_NAME = 'GLOBALINDEX'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(256);
        }
    }
}
