package io.vectorsync.store;

import io.vectorsync.store.keys.DataKeys;
import io.vectorsync.store.keys.KeyFile;
import io.vectorsync.store.keys.KeyTable;
import io.vectorsync.store.keys.MasterKey;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vectorsync.store.access.AccessTables;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.h2.jdbcx.JdbcConnectionPool;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one database: events, tracking tokens, dead letters, the index-version registry, API keys and the audit log,
 * so a handler's token and the events its commands append commit in one transaction. The embedded default is an H2
 * file under the data directory; PostgreSQL is the store several processes share ({@link StoreSettings#url()}).
 * The schema is created and migrated by numbered steps ({@link Migrations}) when the database opens. The queries of
 * the events' positions ({@link EventPositions}), the index-version registry ({@link IndexVersionRows}), the tokens
 * ({@link TokenRows}) and the report ({@link StoreReport}) live beside it.
 */
public final class EventStoreDatabase implements LogPositions, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventStoreDatabase.class.getName());

    private final DataSource dataSource;
    private final AutoCloseable pool;
    private final Dialect dialect;
    private final JdbcTransactionManager transactionManager;
    private final String description;
    private final AccessTables accessTables;
    private final Tables tables;
    private final CommitListener listener;
    /** The embedded store's housekeeping; null on PostgreSQL. */
    private final H2Housekeeping housekeeping;
    private final EventPositions log;
    private final IndexVersionRows indexVersions;
    private final TokenRows tokens;

    private EventStoreDatabase(DataSource dataSource, AutoCloseable pool, Dialect dialect, String description,
                               CommitListener listener, H2Housekeeping housekeeping) {
        this.housekeeping = housekeeping;
        this.dataSource = dataSource;
        this.pool = pool;
        this.dialect = dialect;
        this.transactionManager = new JdbcTransactionManager(dataSource);
        this.description = description;
        this.tables = new Tables(dialect);
        this.listener = listener;
        this.log = new EventPositions(transactionManager);
        this.indexVersions = new IndexVersionRows(transactionManager, dialect);
        this.tokens = new TokenRows(transactionManager);
        try {
            int version = Migrations.apply(dataSource, dialect);
            LOG.fine(() -> "Store schema at step " + version);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.accessTables = new AccessTables(dataSource);
    }

    /** The embedded H2 store under the data directory, or the database the settings name. */
    public static EventStoreDatabase open(StoreSettings settings, Path dataDir) {
        return open(settings, dataDir, DEFAULT_STALL_LIMIT);
    }

    /**
     * As {@link #open(StoreSettings, Path)}; on PostgreSQL a transaction left idle longer than {@code stallLimit} is
     * ended by the server, and a statement waits at most that long for a lock. A node that is frozen (SIGSTOP, a long
     * GC pause, a suspended VM) in the middle of a transaction would otherwise keep its row locks — on the token
     * rows, say — and every other node that tries to take its segments over would wait for them forever. Give it
     * more than the claim timeout: by then the frozen node's claims are someone else's anyway, and a live node's
     * batch, whose index writes run inside its transaction, is not cut short.
     */
    public static EventStoreDatabase open(StoreSettings settings, Path dataDir, Duration stallLimit) {
        return settings.embedded() ? openH2(dataDir) : openJdbc(settings, stallLimit);
    }

    /** The stall limit when nothing else is said: twice Axon's default claim timeout. */
    public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(60);

    /**
     * Opens (creating when missing) the H2 database {@code <dataDir>/events/vectorsync.mv.db}.
     * WRITE_DELAY=0 makes every commit reach the file before the command is acknowledged, so a killed process loses
     * nothing acknowledged; H2 does not force the file at commit, so {@link H2Housekeeping} forces it every 200 ms,
     * which bounds what a power loss can take.
     */
    public static EventStoreDatabase openH2(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().resolve("events");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the event store directory " + dir, e);
        }
        // retry: reopens the file when a thread interrupted inside a read or write closed it (Java closes a
        // FileChannel on interrupt); without it one interrupted processor thread closes the whole store
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook closed the database beside the app's, under processors still
        // storing their tokens; the app closes the store itself, last. MAX_COMPACT_TIME=0: H2's 200 ms of compaction
        // at close moved chunks to the end of the file and stopped there, leaving it larger than before the close
        // (2.5 times its live data instead of 2.1); the housekeeping compacts after the next start instead
        String url = "jdbc:h2:retry:" + dir.resolve("vectorsync") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "vectorsync", "");
        pool.setMaxConnections(32);
        pool.setLoginTimeout(10);
        H2Housekeeping housekeeping = new H2Housekeeping(pool, Duration.ofMillis(200));
        AutoCloseable closing = () -> {
            housekeeping.close(); // before the connections: a step never runs on a closing store
            pool.dispose();
        };
        return new EventStoreDatabase(pool, closing, Dialect.H2, dir.resolve("vectorsync.mv.db").toString(), null,
                housekeeping);
    }

    /**
     * A shared database (PostgreSQL) through a bounded pool. A connection that cannot be had within 1.5 s
     * fails the request (a 503 for the caller) instead of holding it while the database is away.
     */
    private static EventStoreDatabase openJdbc(StoreSettings settings, Duration stallLimit) {
        Dialect dialect = Dialect.of(settings.url());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (dialect == Dialect.POSTGRESQL) {
            long millis = stallLimit.toMillis();
            config.addDataSourceProperty("options", "-c idle_in_transaction_session_timeout=" + millis
                    + " -c lock_timeout=" + millis);
        }
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(1_500);
        config.setValidationTimeout(1_000);
        config.setPoolName("vectorsync-store");
        config.setAutoCommit(true);
        // start even while the database is still coming up: the pool connects on first use
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        CommitListener listener = new CommitListener(settings.url(), settings.user(), settings.password());
        String where = settings.url().replaceAll("password=[^&;]*", "password=…");
        try {
            return new EventStoreDatabase(pool, pool, dialect, where, listener, null);
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    public JdbcTransactionManager transactionManager() {
        return transactionManager;
    }

    /** API keys and the audit log. */
    public AccessTables accessTables() {
        return accessTables;
    }

    /** Whether a connection to the database can be had and answers now (within the pool's connection timeout). */
    public boolean reachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Where the data lives, for logs (no password). */
    public String description() {
        return description;
    }

    /**
     * Runs {@code callback} whenever any process commits events to this store; on the embedded store only this
     * process writes, and it wakes its processors itself.
     */
    public void onCommitElsewhere(Runnable callback) {
        if (listener != null) {
            listener.onCommit(callback);
        }
    }

    public EventStorageEngine storageEngine(Serializer serializer, EventUpcaster upcasters) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .connectionProvider(transactionManager.connectionProvider())
                .transactionManager(transactionManager)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .upcasterChain(upcasters)
                .dataType(byte[].class)
                // two writers of one document: a duplicate (aggregate, sequence) is a concurrency conflict,
                // which Axon's default resolver does not see in pgjdbc's exception (AxonFramework #1368)
                .persistenceExceptionResolver(new SQLStateResolver("23505"))
                .batchSize(200);
        return dialect == Dialect.POSTGRESQL ? new SerialAppends(builder) : new EventTable(builder);
    }

    public TokenStore tokenStore(Serializer serializer, String nodeId) {
        return tokenStore(serializer, nodeId, Duration.ofSeconds(10));
    }

    /**
     * The token store, claiming segments as {@code nodeId}: a claim not extended for {@code claimTimeout} may be
     * taken over by another node.
     */
    public TokenStore tokenStore(Serializer serializer, String nodeId, Duration claimTimeout) {
        return JdbcTokenStore.builder()
                .connectionProvider(transactionManager.connectionProvider())
                .serializer(serializer)
                .contentType(byte[].class)
                .claimTimeout(claimTimeout)
                .nodeId(nodeId)
                .build();
    }

    /** The dead-letter queue of one processing group; all groups share one table. */
    public SequencedDeadLetterQueue<EventMessage<?>> deadLetterQueue(String processingGroup, Serializer serializer) {
        return JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                .processingGroup(processingGroup)
                .connectionProvider(transactionManager.connectionProvider())
                .transactionManager(transactionManager)
                .genericSerializer(serializer)
                .eventSerializer(serializer)
                .build();
    }

    /** The global index of an aggregate's event: the position a read-your-writes query waits for. */
    @Override
    public OptionalLong position(String aggregateId, long sequenceNumber) {
        return log.position(aggregateId, sequenceNumber);
    }

    /** Every event of an aggregate: its sequence number → its position in the log (global index). */
    @Override
    public Map<Long, Long> positions(String aggregateId) {
        return log.positions(aggregateId);
    }

    /**
     * The positions of many events at once, by (aggregate, sequence number): one query per few hundred aggregates,
     * for answering a batch of writes. An event not found is absent from the answer.
     */
    @Override
    public Map<Map.Entry<String, Long>, Long> positions(List<Map.Entry<String, Long>> events) {
        return log.positions(events);
    }

    /** The position of the newest event in the log, or -1 when it is empty. */
    @Override
    public long headPosition() {
        return log.headPosition();
    }

    /** When the event at a position was stored; empty when there is none there. */
    @Override
    public Optional<Instant> timestampAt(long position) {
        return log.timestampAt(position);
    }

    /** A processor's segments in the token store and the node that claims each (null: unclaimed). */
    public Map<Integer, String> segmentOwners(String processorName) {
        return tokens.segmentOwners(processorName);
    }

    /**
     * How far a processor has got on whichever nodes run it: the lowest position its segments' stored tokens have
     * reached, -1 before it has tokens. What a node that does not run the processor waits on.
     */
    public long processedPosition(String processorName, Serializer serializer) {
        return tokens.lowestPosition(processorName, serializer);
    }

    /**
     * The tokens a processor's segments last stored, on whichever nodes run it (null for a segment not started yet):
     * read without claiming them.
     */
    public Map<Integer, org.axonframework.eventhandling.TrackingToken> storedTokens(String processorName,
                                                                                   Serializer serializer) {
        return tokens.tokens(processorName, serializer);
    }

    /** Which node claims each segment of every processor that has tokens: processor → segment → owner (null: none). */
    public Map<String, Map<Integer, String>> segmentOwners() {
        return tokens.allSegmentOwners();
    }

    /** The nodes working on this store, with their heartbeats. */
    public ClusterNodes clusterNodes() {
        return new ClusterNodes(transactionManager, dialect);
    }

    /** The processors held stopped on every node, and the nodes' acknowledgements. */
    /**
     * The documents' data keys: on PostgreSQL the table every node shares; on the embedded store a file of their own
     * under {@code dataDir} (a key deleted from this database's file would linger in its free pages).
     */
    public DataKeys dataKeys(MasterKey master, Path dataDir) {
        return dialect == Dialect.POSTGRESQL ? new KeyTable(transactionManager, dataSource, master)
                : KeyFile.open(dataDir, master);
    }

    public ProcessorHolds processorHolds() {
        return new ProcessorHolds(transactionManager);
    }

    /**
     * Rewrites the embedded store's file of {@code dataDir} with only its live data and replaces the old file with it,
     * so nothing deleted or overwritten stays in free pages (after {@code store encrypt}). The store must be closed.
     */
    public static void compactH2(Path dataDir) {
        Path file = dataDir.resolve("events").resolve("vectorsync.mv.db");
        String compacted = file + ".compact";
        org.h2.mvstore.MVStoreTool.compact(file.toString(), compacted, false);
        org.h2.mvstore.MVStoreTool.moveAtomicReplace(compacted, file.toString());
    }

    /** How far erasures are physically complete (issue 21). */
    public ErasurePurges erasurePurges() {
        return new ErasurePurges(transactionManager, dataSource);
    }

    /** Whole tenants being erased and how far each has got (issue 21). */
    public TenantErasures tenantErasures() {
        return new TenantErasures(transactionManager);
    }

    /**
     * The aggregate ids in the log that begin with {@code prefix} (a tenant's documents: {@code tenant/}), in order,
     * after {@code after} (null: from the first), at most {@code limit}: a tenant's erasure pages through them.
     */
    public List<String> aggregateIds(String prefix, String after, int limit) {
        String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (java.sql.Connection connection = transactionManager.connectionProvider().getConnection();
             java.sql.PreparedStatement select = connection.prepareStatement("SELECT DISTINCT aggregateIdentifier "
                     + "FROM DomainEventEntry WHERE aggregateIdentifier LIKE ? ESCAPE '\\'"
                     + (after == null ? "" : " AND aggregateIdentifier > ?")
                     + " ORDER BY aggregateIdentifier LIMIT " + limit)) {
            select.setString(1, like);
            if (after != null) {
                select.setString(2, after);
            }
            List<String> ids = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        } catch (java.sql.SQLException e) {
            throw new org.axonframework.common.jdbc.JdbcException("Cannot list the aggregates of " + prefix, e);
        }
    }

    /** Every registered index version, by space and version. */
    public List<IndexVersionRecord> indexVersions() {
        return indexVersions.all();
    }

    /** Stores the versions in one transaction: a swap changes two roles at once. */
    public void saveIndexVersions(List<IndexVersionRecord> versions) {
        indexVersions.save(versions);
    }

    /**
     * Removes every dead letter of a sequence (a document: its aggregate id) from every processing group's queue, in
     * the thread's transaction when it has one (erasure, issue 21). Answers how many there were.
     */
    public int deleteDeadLetters(String sequenceIdentifier) {
        DeadLetterSchema schema = DeadLetterSchema.defaultSchema();
        try (java.sql.Connection connection = transactionManager.connectionProvider().getConnection();
             java.sql.PreparedStatement delete = connection.prepareStatement("DELETE FROM " + schema.deadLetterTable()
                     + " WHERE " + schema.sequenceIdentifierColumn() + " = ?")) {
            delete.setString(1, sequenceIdentifier);
            return delete.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new org.axonframework.common.jdbc.JdbcException("Cannot remove the dead letters of "
                    + sequenceIdentifier, e);
        }
    }

    /** Forgets a processor's tokens: it starts afresh the next time it runs. */
    public void deleteTokens(String processorName) {
        tokens.delete(processorName);
    }

    /** Forgets a dropped index version and the tokens of the processor that fed it. */
    public void deleteIndexVersion(String space, int version, String processorName) {
        indexVersions.delete(space, version, processorName);
    }

    /** What the store holds and takes on disk ({@link StoreReport}); reads the whole event table once. */
    public StoreReport report() {
        return StoreReport.measure(dataSource, dialect, description, housekeeping);
    }

    @Override
    public void close() {
        try {
            if (listener != null) {
                listener.close();
            }
        } finally {
            try {
                pool.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Closing the store's connections failed", e);
            }
        }
    }
}
