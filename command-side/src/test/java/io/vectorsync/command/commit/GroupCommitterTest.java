package io.vectorsync.command.commit;

import io.vectorsync.domain.Document;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.domain.UpsertOutcome;
import io.vectorsync.domain.VersionConflictException;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The group committer with the real aggregate, Axon's command bus and the H2 store: commands that arrive together
 * share a transaction, each is answered only after the commit, in order per document; one that fails fails alone;
 * a group whose commit fails is run again command by command; a full queue refuses at once.
 */
class GroupCommitterTest {

    @TempDir
    Path dataDir;
    private final Serializer serializer = JsonbSerializer.create();
    private final AtomicInteger transactions = new AtomicInteger();
    private EventStoreDatabase database;
    private Configuration axon;
    private EventStorageEngine engine;
    private GroupCommitter committer;
    private final CountDownLatch blocked = new CountDownLatch(1);

    /** A command that holds the committer's thread until the test lets it go. */
    record Block(String reason) {
    }

    @BeforeEach
    void start() {
        database = EventStoreDatabase.openH2(dataDir);
        engine = database.storageEngine(serializer, Upcasters.chain());
        ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);
        TransactionManager counting = new TransactionManager() {
            @Override
            public Transaction startTransaction() {
                Transaction transaction = database.transactionManager().startTransaction();
                if (inTransaction.get()) {
                    return transaction; // joins the outer one
                }
                transactions.incrementAndGet();
                inTransaction.set(true);
                return new Transaction() {
                    @Override
                    public void commit() {
                        inTransaction.set(false);
                        transaction.commit();
                    }

                    @Override
                    public void rollback() {
                        inTransaction.set(false);
                        transaction.rollback();
                    }
                };
            }
        };
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureTransactionManager(c -> counting)
                .configureEmbeddedEventStore(c -> engine)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Document.class)
                        .configureCache(c -> new WeakReferenceCache()))
                .buildConfiguration();
        axon.start();
        axon.commandBus().subscribe(Block.class.getName(), command -> {
            blocked.await(30, TimeUnit.SECONDS);
            return "released";
        });
    }

    @AfterEach
    void stop() {
        blocked.countDown();
        if (committer != null) {
            committer.close();
        }
        axon.shutdown();
        database.close();
    }

    @Test
    void commandsThatArriveTogetherShareATransactionAndApplyInOrderPerDocument() {
        committer = new GroupCommitter(axon.commandBus(), counting(), database::reachable,
                new GroupCommitter.Settings(256, Duration.ofMillis(20), 1000));
        List<CompletableFuture<UpsertOutcome>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(committer.submit(upsert("doc-" + (i % 20), "revision " + (i / 20), null)));
        }
        for (int i = 0; i < 200; i++) {
            UpsertOutcome outcome = answers.get(i).join();
            // the n-th write of a document is its n-th version: order per document is the order of arrival
            assertThat(outcome.version()).as("write %d", i).isEqualTo(i / 20 + 1);
        }
        assertThat(transactions.get()).as("transactions for 200 writes").isLessThan(20);
        assertThat(engine.readEvents("acme/doc-7").asStream().count()).isEqualTo(10);
    }

    @Test
    void aCommandThatFailsFailsAloneAndTheOthersOfItsGroupCommit() {
        committer = new GroupCommitter(axon.commandBus(), counting(), database::reachable,
                new GroupCommitter.Settings(256, Duration.ofMillis(50), 1000));
        committer.send(upsert("existing", "first", null));
        CompletableFuture<UpsertOutcome> before = committer.submit(upsert("a", "a", null));
        CompletableFuture<UpsertOutcome> stale = committer.submit(upsert("existing", "second", 7L));
        CompletableFuture<UpsertOutcome> after = committer.submit(upsert("b", "b", null));
        assertThat(before.join().result()).isEqualTo(UpsertOutcome.Result.CREATED);
        assertThat(after.join().result()).isEqualTo(UpsertOutcome.Result.CREATED);
        assertThatThrownBy(stale::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(VersionConflictException.class);
        assertThat(engine.readEvents("acme/existing").asStream().count()).isEqualTo(1);
    }

    @Test
    void aGroupWhoseCommitFailsIsRunAgainCommandByCommand() {
        committer = new GroupCommitter(axon.commandBus(), counting(), database::reachable,
                new GroupCommitter.Settings(256, Duration.ofMillis(50), 1000));
        assertThat(committer.<UpsertOutcome>send(upsert("raced", "mine", null)).version()).isEqualTo(1);
        // another process appends the document's next event behind this one's cached copy of it
        database.transactionManager().executeInTransaction(() -> engine.appendEvents(new GenericDomainEventMessage<>(
                "Document", "acme/raced", 1, new DocumentMetadataChanged("acme", "raced", Map.of("by", "another")))));
        CompletableFuture<UpsertOutcome> raced = committer.submit(upsert("raced", "mine again", null));
        CompletableFuture<UpsertOutcome> bystander = committer.submit(upsert("bystander", "b", null));
        // applied on top of the other process's event: its body revised and the metadata set back (versions 3, 4)
        assertThat(raced.join().version()).isEqualTo(4);
        assertThat(bystander.join().version()).isEqualTo(1);
        assertThat(engine.readEvents("acme/raced").asStream().map(e -> e.getPayloadType().getSimpleName()).toList())
                .containsExactly("DocumentCreated", "DocumentMetadataChanged", "DocumentContentRevised",
                        "DocumentMetadataChanged");
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        committer = new GroupCommitter(axon.commandBus(), counting(), database::reachable,
                new GroupCommitter.Settings(1, Duration.ZERO, 1));
        CompletableFuture<String> holding = committer.submit(new Block("hold the committer"));
        Thread.sleep(200); // the committer took it and waits in its handler
        CompletableFuture<UpsertOutcome> queued = committer.submit(upsert("q", "queued", null));
        long start = System.nanoTime();
        CompletableFuture<UpsertOutcome> refused = committer.submit(upsert("r", "refused", null));
        assertThat(refused).isCompletedExceptionally();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        assertThatThrownBy(refused::join).hasCauseInstanceOf(GroupCommitter.Overloaded.class);
        blocked.countDown();
        assertThat(holding.join()).isEqualTo("released");
        assertThat(queued.join().version()).isEqualTo(1);
    }

    private TransactionManager counting() {
        return axon.getComponent(TransactionManager.class);
    }

    private static UpsertDocument upsert(String id, String body, Long expectedVersion) {
        return new UpsertDocument("acme", id, "Title", body, Map.of(), null, expectedVersion, null);
    }
}
