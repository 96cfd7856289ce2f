package io.vectorsync.app.erasure;

import io.vectorsync.domain.DocumentErased;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.JdbcTransactionManager;
import io.vectorsync.store.keys.DataKeys;
import io.vectorsync.store.keys.MasterKey;
import io.vectorsync.store.keys.StoreMasterKey;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import javax.crypto.SecretKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * The node's documents' data keys (crypto-shredding, issue 21) and when they change: a new key reaches its storage
 * before the events sealed with it commit, and an erasure destroys its document's keys in the transaction that
 * appends its {@link DocumentErased}, exactly where it stands among the events appended ({@link #erasing}). On
 * PostgreSQL both are rows of the same transaction; on the embedded store the key file is written and forced just
 * before the database commits.
 */
public final class DocumentKeys implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DocumentKeys.class.getName());

    private final DataKeys keys;
    private final JdbcTransactionManager transactions;

    private DocumentKeys(DataKeys keys, JdbcTransactionManager transactions) {
        this.keys = keys;
        this.transactions = transactions;
    }

    /**
     * Opens the keys of {@code database} (on the embedded store, the key file under {@code dataDir}) under the master
     * key: configured, from a file, or the one the store generated ({@code StoreMasterKey}). {@code eventsElsewhere}: the events go to another store (Axon Server) that commits them apart
     * from this database, so each new key is forced to disk as soon as it is made.
     */
    public static DocumentKeys open(EventStoreDatabase database, String masterKey, Path masterKeyFile, Path dataDir,
                                    boolean eventsElsewhere) {
        MasterKey master = StoreMasterKey.resolve(database, masterKey, masterKeyFile);
        DataKeys keys = database.dataKeys(master, dataDir);
        JdbcTransactionManager transactions = database.transactionManager();
        transactions.beforeEachCommit(keys::flush);
        LOG.info(() -> "Content encryption: documents' data keys in " + (keys instanceof io.vectorsync.store.keys.KeyFile
                file ? file.file() : database.description()) + ", wrapped by the master key from " + master.origin()
                + " (fingerprint " + master.fingerprint() + ")");
        return new DocumentKeys(eventsElsewhere ? new FlushingEachNewKey(keys) : keys, transactions);
    }

    /** What the serializer seals and opens content with. */
    public DataKeys keys() {
        return keys;
    }

    /** The event store's storage, destroying an erased document's keys where its erasure stands among the events. */
    public org.axonframework.eventsourcing.eventstore.EventStorageEngine erasing(
            org.axonframework.eventsourcing.eventstore.EventStorageEngine storage) {
        return new ErasingStorageEngine(storage, keys);
    }

    /**
     * Where the events go to Axon Server (no storage of ours appends them): destroys an erased document's keys just
     * before this node's transaction commits, or once the unit of work that published the erasure commits.
     */
    public MessageDispatchInterceptor<EventMessage<?>> destroyOnErasure() {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
                for (EventMessage<?> message : messages) {
                    if (message.getPayload() instanceof DocumentErased erased) {
                        Runnable destroy = () -> keys.destroy(erased.tenant(), erased.documentId());
                        if (!transactions.beforeCommit(destroy)) {
                            if (CurrentUnitOfWork.isStarted()) {
                                CurrentUnitOfWork.get().afterCommit(unitOfWork -> {
                                    destroy.run();
                                    keys.flush();
                                });
                            } else {
                                destroy.run();
                                keys.flush();
                            }
                        }
                    }
                }
                return (index, message) -> message;
            }
        };
    }

    /** Makes destroyed keys physically gone from their storage. */
    public void shred() {
        keys.shred();
    }

    @Override
    public void close() {
        keys.close();
    }

    /** Forces each new key to its storage as it is made: for events committed elsewhere than with the keys. */
    private record FlushingEachNewKey(DataKeys keys) implements DataKeys {

        @Override
        public DataKey current(String tenant, String documentId) {
            DataKey key = keys.current(tenant, documentId);
            keys.flush();
            return key;
        }

        @Override
        public Optional<SecretKey> find(String tenant, String documentId, long generation) {
            return keys.find(tenant, documentId, generation);
        }

        @Override
        public void destroy(String tenant, String documentId) {
            keys.destroy(tenant, documentId);
        }

        @Override
        public int destroyTenant(String tenant) {
            return keys.destroyTenant(tenant);
        }

        @Override
        public void flush() {
            keys.flush();
        }

        @Override
        public void shred() {
            keys.shred();
        }

        @Override
        public void close() {
            keys.close();
        }
    }
}
