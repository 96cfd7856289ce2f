package io.vectorsync.store.keys;

import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The key table on the real PostgreSQL the test command starts; a fresh database per test. */
class KeyTablePostgresTest extends DataKeysContract {

    @TempDir
    Path dataDir;
    private StoreSettings settings;
    private final List<EventStoreDatabase> databases = new ArrayList<>();

    @Override
    protected DataKeys open() {
        settings = TestPostgres.freshDatabase();
        return reopen();
    }

    @Override
    protected DataKeys reopen() {
        EventStoreDatabase database = EventStoreDatabase.open(settings, null);
        databases.add(database);
        return database.dataKeys(MasterKey.resolve(null, null, dataDir), dataDir);
    }

    @AfterEach
    void closeDatabases() {
        databases.forEach(EventStoreDatabase::close);
    }

    @Test
    void aShredRewritesTheTableSoNoDestroyedKeyIsLeftInItsFiles() throws Exception {
        EventStoreDatabase database = databases.getLast();
        for (int i = 0; i < 300; i++) {
            keys.current(i % 3 == 0 ? "globex" : "acme", "doc-" + i);
        }
        List<byte[]> destroyed = new ArrayList<>();
        List<byte[]> kept = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tenant, documentId, wrappedKey FROM DocumentKey")) {
            while (rs.next()) {
                int i = Integer.parseInt(rs.getString(2).substring(4));
                (rs.getString(1).equals("globex") || i % 10 == 1 ? destroyed : kept).add(rs.getBytes(3));
            }
        }
        for (int i = 1; i < 300; i += 10) {
            keys.destroy("acme", "doc-" + i);
        }
        assertThat(keys.destroyTenant("globex")).isEqualTo(100);
        checkpoint(database);
        assertThat(Bytes.countIn(files(database), destroyed)).as("control: set to NULL, yet still in the table's pages")
                .isPositive();

        keys.shred();
        checkpoint(database);

        List<Path> after = files(database);
        assertThat(Bytes.countIn(after, destroyed)).as("destroyed keys in the table's files after the shred").isZero();
        assertThat(Bytes.countIn(after, kept)).as("every kept key is in them").isEqualTo(kept.size());
        assertThat(keys.find("acme", "doc-2", 1)).isPresent();
    }

    /** The table's and its primary key's files as PostgreSQL has them now (new ones after VACUUM FULL). */
    private static List<Path> files(EventStoreDatabase database) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            Path dataDirectory;
            try (ResultSet rs = s.executeQuery("SHOW data_directory")) {
                rs.next();
                dataDirectory = Path.of(rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_relation_filepath('documentkey'), "
                    + "pg_relation_filepath('documentkey_pkey')")) {
                rs.next();
                files.add(dataDirectory.resolve(rs.getString(1)));
                files.add(dataDirectory.resolve(rs.getString(2)));
            }
        }
        return files;
    }

    /** Writes the shared buffers out, so the files hold what the table holds. */
    private static void checkpoint(EventStoreDatabase database) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }
}
