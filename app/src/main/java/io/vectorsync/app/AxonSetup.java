package io.vectorsync.app;

import io.vectorsync.app.erasure.DocumentKeys;
import io.vectorsync.app.erasure.ErasureProcessing;
import io.vectorsync.command.api.CommandFailures;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.command.encoder.Encoder;
import io.vectorsync.domain.Document;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.projections.hotcache.HotVectorCacheModule;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.vectorindex.VectorIndexProjectionModule;
import io.vectorsync.projections.versions.SpaceModels;
import io.vectorsync.store.DeadLetters;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.WakingEventSource;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.ServerConnectorConfigurerModule;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.serialization.Serializer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Axon's part of the wiring: the event store, serializers, tokens, the aggregate and the processors. */
final class AxonSetup {

    private static final String VECTOR_INDEX_GROUP = VectorIndexProjectionModule.PROCESSING_GROUP;

    private AxonSetup() {
    }

    /**
     * Every Axon component, not yet built nor started: the events in the store, or in Axon Server with the command bus
     * ({@code vectorsync.axonserver.enabled}); the tokens, dead letters and transactions in the store either way.
     */
    static Configurer configure(Settings settings, Serializer serializer, EventStoreDatabase database,
                                VectorIndexes indexes, EmbeddingSpaces spaces, HotVectorCache cache,
                                SpaceModels models, DocumentKeys keys, ErasureProcessing erasure) {
        AxonServerSettings axonServer = settings.axonServer();
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false);
        if (axonServer.enabled()) {
            // modules are not located on the class path here: the connector's is applied by hand, and first, so that
            // what follows replaces its defaults (an in-memory token store). It registers Axon Server's event store,
            // command bus and query bus, connected only once the configuration starts
            new ServerConnectorConfigurerModule().configureModule(configurer);
            configurer.registerComponent(AxonServerConfiguration.class, c -> axonServer.configuration(settings.nodeId()))
                    .registerEventUpcaster(c -> Upcasters.chain())
                    .registerComponent(LogPositions.class, c -> new AxonServerLog(c.eventStore(),
                            c.getComponent(AxonServerConnectionManager.class), axonServer.context()));
            // a handler's 400, 404 or 412 reaches the sender as details: Axon Server carries no exception
            configurer.onInitialize(c -> c.commandBus().registerHandlerInterceptor(CommandFailures.interceptor()));
        } else {
            configurer.configureEventStore(c -> {
                        EmbeddedEventStore store = EmbeddedEventStore.builder()
                                .storageEngine(keys == null ? database.storageEngine(serializer, Upcasters.chain())
                                        : keys.erasing(database.storageEngine(serializer, Upcasters.chain())))
                                .messageMonitor(c.messageMonitor(EmbeddedEventStore.class, "eventStore"))
                                .fetchDelay(fetchDelay(settings).toMillis())
                                .build();
                        c.onShutdown(store::shutDown);
                        return store;
                    })
                    .registerComponent(LogPositions.class, c -> database);
        }
        configurer.configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureTransactionManager(c -> database.transactionManager())
                // in the store in either mode, so a handler's token commits with what it writes there
                .registerComponent(TokenStore.class, c -> database.tokenStore(serializer, settings.nodeId(), settings.node().claimTimeout()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Document.class)
                        // a document's next command need not re-read its history from the store
                        .configureCache(c -> new WeakReferenceCache()))
                .registerComponent(WakingEventSource.class, c -> {
                    WakingEventSource source = new WakingEventSource(c.eventStore());
                    if (!axonServer.enabled()) { // Axon Server's streams learn of new events themselves
                        database.onCommitElsewhere(source::wake);
                    }
                    c.onShutdown(source::close);
                    return source;
                });
        configurer.eventProcessing()
                .registerTokenStore(c -> c.getComponent(TokenStore.class));
        NodeRoles roles = settings.node().roles();
        if (roles.has(NodeRoles.Role.PROJECTOR)) {
            projectors(configurer, settings, serializer, database, indexes, spaces, models);
            // one segment: each batch of erasures costs one merge of every index
            configurer.eventProcessing()
                    .registerPooledStreamingEventProcessorConfiguration(ErasureProcessing.PROCESSING_GROUP,
                            (c, builder) -> builder.initialSegmentCount(1).maxClaimedSegments(1)
                                    .batchSize(settings.batchSize()))
                    .registerEventHandler(c -> erasure.handler());
        }
        // in the unit of work that stores each event, so on every node that appends: the command API's and the
        // projectors' (the encoder records embeddings)
        if (cache != null && (roles.has(NodeRoles.Role.COMMAND) || roles.has(NodeRoles.Role.PROJECTOR))) {
            List<String> spaceNames = settings.spaces().stream().map(EmbeddingSpace::name).toList();
            configurer.eventProcessing()
                    // the cache has a change before its write is acknowledged
                    .registerSubscribingEventProcessor(HotVectorCacheModule.PROCESSING_GROUP)
                    .registerEventHandler(c -> HotVectorCacheModule.projection(cache, spaceNames, c.eventStore()));
        }
        return configurer;
    }

    /**
     * How long the embedded event store's reader waits before it looks for events it was not told of. This process's
     * commits wake it at once; on a store other processes share, their commits reach it only by this look (their
     * notifications wake the processors, which then wait for the reader), so it looks every 100 ms there instead of
     * Axon's 1 s: a text written on a command node otherwise waited up to a second for the encoder on a projector.
     */
    static Duration fetchDelay(Settings settings) {
        return settings.store().embedded() ? Duration.ofSeconds(1) : Duration.ofMillis(100);
    }

    /**
     * How long a work package may go without extending its claim: a third of the claim timeout, at most 5 s on the
     * embedded store and 500 ms on a shared one. A segment with no event of its own in a batch stores how far it got
     * only this often (Axon's WorkPackage), and on a shared store the other nodes learn a processor's position from
     * the stored tokens of all its segments: read-your-writes on a query node waited up to 5 s for an idle segment.
     */
    static Duration claimExtension(Settings settings) {
        Duration third = settings.node().claimTimeout().dividedBy(3);
        Duration most = settings.store().embedded() ? Duration.ofSeconds(5) : Duration.ofMillis(500);
        return third.compareTo(most) < 0 ? third : most;
    }

    /** The encoder and the live index's processor, with their dead-letter queues: a projector's work. */
    private static void projectors(Configurer configurer, Settings settings, Serializer serializer,
                                   EventStoreDatabase database, VectorIndexes indexes, EmbeddingSpaces spaces,
                                   SpaceModels models) {
        configurer.eventProcessing()
                .usingPooledStreamingEventProcessors((c, builder) -> builder
                        // woken by each commit instead of looking every 500 ms
                        .messageSource(c.getComponent(WakingEventSource.class))
                        .initialSegmentCount(settings.segments())
                        .batchSize(settings.batchSize())
                        .maxClaimedSegments(settings.segments())
                        // against stolen claims (Axon #5050): a worker thread for every segment it may claim, and the
                        // coordinator extends the claims of busy work packages well within the claim timeout
                        .workerExecutor(name -> {
                            // as Axon's default (4 threads, shut down with the configuration), never fewer than segments
                            ScheduledExecutorService workers = Executors.newScheduledThreadPool(
                                    Math.max(4, settings.segments()), new AxonThreadFactory("WorkPackage[" + name + "]"));
                            c.onShutdown(workers::shutdown);
                            return workers;
                        })
                        .enableCoordinatorClaimExtension()
                        .claimExtensionThreshold(claimExtension(settings).toMillis()))
                // ONNX already uses every core for one inference; a second concurrent one only competes
                .registerPooledStreamingEventProcessorConfiguration(Encoder.PROCESSING_GROUP, (c, builder) -> builder
                        .initialSegmentCount(1)
                        .maxClaimedSegments(1)
                        .batchSize(settings.batchSize()))
                .registerEventHandler(c -> Encoder.handler(spaces, c.commandGateway()))
                .registerEventHandler(c -> VectorIndexProjectionModule.projection(indexes, models::liveFilter))
                .registerDeadLetterQueue(Encoder.PROCESSING_GROUP,
                        c -> database.deadLetterQueue(Encoder.PROCESSING_GROUP, serializer))
                .registerDeadLetterQueue(VECTOR_INDEX_GROUP,
                        c -> database.deadLetterQueue(VECTOR_INDEX_GROUP, serializer))
                // every failure is dead-lettered, counting its attempts for the admin API
                .registerDefaultDeadLetterPolicy(c -> DeadLetters.countingAttempts())
                // remember per segment which documents have no dead letters, instead of asking the store per event
                .registerDeadLetteringEventHandlerInvokerConfiguration(Encoder.PROCESSING_GROUP,
                        (c, builder) -> builder.enableSequenceIdentifierCache())
                .registerDeadLetteringEventHandlerInvokerConfiguration(VECTOR_INDEX_GROUP,
                        (c, builder) -> builder.enableSequenceIdentifierCache());
    }
}
