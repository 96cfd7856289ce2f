package io.vectorsync.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

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

    /**
     * Ingest's pattern at ingest's pace: groups of 100 events of 4 KB, 1,000 events a second (the API acknowledges
     * about that many client-vector documents a second on two cores). Each commit also rewrites the leaves of the
     * random event-identifier index, so most of what a commit writes is dead a moment later.
     */
    @Test
    void theFileStaysWithinTwiceItsLiveDataDuringAndAfterAnIngest() throws Exception {
        EventStorageEngine engine = database.storageEngine(serializer, Upcasters.chain());
        Path file = dataDir.resolve("events").resolve("vectorsync.mv.db");
        Random random = new Random(19);
        long largest = 0;
        long start = System.nanoTime();
        for (int commit = 0; commit < 80; commit++) {
            EventMessage<?>[] events = new EventMessage<?>[100];
            for (int i = 0; i < events.length; i++) {
                String reason = random.ints(4_000, 'a', 'z' + 1)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
                events[i] = new GenericDomainEventMessage<>("Document", "acme/d" + commit + "-" + i, 0,
                        new DocumentDeleted("acme", "d" + commit + "-" + i, reason));
            }
            append(engine, events);
            largest = Math.max(largest, Files.size(file));
            long due = start + (commit + 1) * 100_000_000L;
            Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
        }
        database.close();
        database = null;
        long afterClose = Files.size(file);
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:" + dataDir.resolve("events").resolve("vectorsync"),
                "vectorsync", ""); Statement statement = h2.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        }
        long live = Files.size(file);
        System.out.printf("store file: largest %.1f MB, after close %.1f MB, compacted %.1f MB%n", largest / 1e6,
                afterClose / 1e6, live / 1e6);
        assertThat(live).as("the events' own size").isGreaterThan(30L << 20);
        assertThat((double) largest / live).as("the largest file during the writes ÷ the compacted file")
                .isLessThanOrEqualTo(2.0);
        assertThat((double) afterClose / live).as("after closing").isLessThanOrEqualTo(2.0);
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
