package io.vectorsync.projections.versions;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.vectorindex.VectorIndexProjectionModule;
import io.vectorsync.store.DeadLetters;
import io.vectorsync.store.EventStoreDatabase;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import io.vectorsync.store.ProcessorProgress;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one factory of the processors that feed index versions: a pooled streaming processor per version, named
 * {@code index-<space>-v<N>}, with its tokens in the store, a dead-letter queue of its own, larger batches than the
 * live one (a rebuild replays the whole log: fewer index commits), and for a point-in-time version the cut after
 * which events pass by unhandled. The rebuild benchmark builds its baseline processor here too.
 */
public final class VersionFeeds {

    /** A rebuild replays the whole log: at least this many events per batch. */
    static final int MIN_BATCH = 500;

    private final Configuration axon;
    private final StreamableMessageSource<TrackedEventMessage<?>> source;
    private final EventStoreDatabase database;
    private final int segments;
    private final int batchSize;
    private final java.time.Duration claimExtension;

    /**
     * @param segments       segments per processor (as the live {@code vector-index})
     * @param batchSize      the live processor's batch size; a feed takes at least {@value #MIN_BATCH}
     * @param claimExtension how long a work package may go without extending its claim (within the claim timeout)
     */
    public VersionFeeds(Configuration axon, StreamableMessageSource<TrackedEventMessage<?>> source,
                        EventStoreDatabase database, int segments, int batchSize, java.time.Duration claimExtension) {
        this.claimExtension = claimExtension;
        this.axon = axon;
        this.source = source;
        this.database = database;
        this.segments = segments;
        this.batchSize = batchSize;
    }

    /** Segments per processor. */
    public int segments() {
        return segments;
    }

    /** The tokens a processor's segments last stored, on whichever nodes run them (read without claiming). */
    public Map<Integer, TrackingToken> storedTokens(String group) {
        return database.storedTokens(group, axon.eventSerializer());
    }

    /**
     * Every segment of the processor has reached {@code position}: the ones this node runs as they stand here, the
     * ones other projector nodes run as they last stored them.
     */
    public boolean reachedEverywhere(StreamingEventProcessor processor, long position) {
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        if (local.values().stream().anyMatch(status -> status.isErrorState()
                || status.getCurrentPosition().orElse(-1) < position)) {
            return false;
        }
        if (local.size() >= segments) {
            return true;
        }
        Map<Integer, TrackingToken> stored = storedTokens(processor.getName());
        return !stored.isEmpty() && stored.entrySet().stream().filter(segment -> !local.containsKey(segment.getKey()))
                .allMatch(segment -> segment.getValue() != null
                        && segment.getValue().position().orElse(-1) >= position);
    }

    /**
     * The lowest position of the processor's segments, those this node runs as they stand here, those other
     * projector nodes run as last stored; -1 before one has started.
     */
    public long lowestPositionEverywhere(StreamingEventProcessor processor) {
        return processor.processingStatus().size() >= segments ? ProcessorProgress.lowestPosition(processor)
                : ProcessorProgress.lowestPosition(processor, storedTokens(processor.getName()));
    }

    /** A running processor and the threads and dead letters that are its own. */
    public record Feed(PooledStreamingEventProcessor processor, DeadLetters letters,
                       ScheduledExecutorService coordinator, ScheduledExecutorService workers) {

        public String name() {
            return processor.getName();
        }

        /** Stops the processor (releasing its segments) and its threads. */
        public void stop() {
            try {
                processor.shutDown();
            } finally {
                coordinator.shutdownNow();
                workers.shutdownNow();
            }
        }
    }

    /**
     * Starts feeding {@code index} (the version's) from the log: from the start, from the processor's own tokens when
     * it ran before, or, for a version that has just stopped being live, from exactly the {@code tokens} where
     * {@code vector-index} stopped (so it misses nothing and repeats nothing).
     *
     * @param model the model whose embeddings the version takes (null: any)
     */
    public Feed start(IndexVersion version, VectorIndex index, String model, Map<Integer, TrackingToken> tokens) {
        return start(version.group(), VectorIndexProjectionModule.projectionOf(VectorIndexes.of(List.of(index)), model),
                version.settings().until(), tokens);
    }

    /**
     * Starts a processor named {@code group} whose handler is {@code projection} (an object with Axon event
     * handlers): an event the handler cannot take waits as a dead letter (with the document's later ones) instead of
     * stopping the whole feed.
     *
     * @param until events after this cut pass by unhandled (null: none do)
     */
    public Feed start(String group, Object projection, VersionSettings.Cut until, Map<Integer, TrackingToken> tokens) {
        TokenStore tokenStore = axon.eventProcessingConfiguration().tokenStore(group);
        TransactionManager transactions = axon.getComponent(TransactionManager.class);
        if (tokens != null) {
            transactions.executeInTransaction(() -> {
                if (tokenStore.fetchSegments(group).length == 0) {
                    tokens.forEach((segment, token) -> tokenStore.initializeSegment(token, group, segment));
                }
            });
        }
        ScheduledExecutorService coordinator = Executors.newScheduledThreadPool(1,
                new AxonThreadFactory("Coordinator[" + group + "]"));
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(Math.max(2, segments),
                new AxonThreadFactory("WorkPackage[" + group + "]"));
        SequencedDeadLetterQueue<EventMessage<?>> queue = database.deadLetterQueue(group, axon.eventSerializer());
        DeadLetteringEventHandlerInvoker invoker = DeadLetteringEventHandlerInvoker.builder()
                .eventHandlers(projection)
                .queue(queue)
                .enqueuePolicy(DeadLetters.countingAttempts())
                .enableSequenceIdentifierCache()
                .transactionManager(transactions)
                .build();
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(group)
                .eventHandlerInvoker(invoker)
                .messageMonitor(axon.messageMonitor(PooledStreamingEventProcessor.class, group))
                .rollbackConfiguration(RollbackConfigurationType.ANY_THROWABLE)
                .errorHandler(PropagatingErrorHandler.instance())
                .messageSource(source)
                .tokenStore(tokenStore)
                .transactionManager(transactions)
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(segments)
                .maxClaimedSegments(segments)
                .batchSize(Math.max(batchSize, MIN_BATCH))
                .enableCoordinatorClaimExtension()
                .claimExtensionThreshold(claimExtension.toMillis())
                .initialToken(StreamableMessageSource::createTailToken)
                .build();
        if (until != null) {
            // a bounded replay: the version is the log as it was at the cut
            processor.registerHandlerInterceptor((unitOfWork, chain) ->
                    until.after(unitOfWork.getMessage()) ? null : chain.proceed());
        }
        Feed feed = new Feed(processor, new DeadLetters(queue, invoker), coordinator, workers);
        processor.start();
        return feed;
    }
}
