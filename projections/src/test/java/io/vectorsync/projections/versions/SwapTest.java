package io.vectorsync.projections.versions;

import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.ProcessorControl;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The swap's hand-over with real pooled streaming processors over an in-memory event store and token store, and a
 * fake backend that records what it is asked to make live: the version must have seen every event the live
 * processor had seen before it is promoted, the promotion gets the tokens the live processor stopped at, and the
 * live processor runs again whatever happens.
 */
class SwapTest {

    private final EmbeddedEventStore events = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final InMemoryTokenStore tokens = new InMemoryTokenStore();
    private final List<Runnable> cleanUp = new ArrayList<>();
    private final Map<String, StreamingEventProcessor> processors = new ConcurrentHashMap<>();
    @TempDir
    Path dataDir;
    private EventStoreDatabase database;
    private ProcessorControl control;

    @BeforeEach
    void openControl() {
        database = EventStoreDatabase.openH2(dataDir);
        control = new ProcessorControl(database, "node-1", true, () -> Map.copyOf(processors), Clock.systemUTC());
    }

    /** A swap whose holds go through the real store-backed control, on a store with this node alone. */
    private Swap swap(Duration wait) {
        return new Swap(tokens, NoTransactionManager.INSTANCE, wait, control, group -> Map.of());
    }

    /** The index backend's part in a swap: what it was asked to make live, and with which tokens. */
    private static final class FakeBackend {
        final List<Map<Integer, TrackingToken>> promotions = new ArrayList<>();
        Set<Long> versionHadSeen;

        String promote(Map<Integer, TrackingToken> stoppedAt, Set<Long> versionSeen) {
            promotions.add(stoppedAt);
            versionHadSeen = Set.copyOf(versionSeen);
            return "v2";
        }
    }

    @AfterEach
    void stop() {
        cleanUp.forEach(Runnable::run);
        events.shutDown();
        control.close();
        database.close();
    }

    @Test
    void theVersionIsPromotedOnlyOnceItHasSeenEveryEventTheLiveProcessorHad() throws Exception {
        publish(300);
        Set<Long> liveSeen = ConcurrentHashMap.newKeySet();
        Set<Long> versionSeen = ConcurrentHashMap.newKeySet();
        PooledStreamingEventProcessor live = processor("vector-index", liveSeen, 0);
        PooledStreamingEventProcessor version = processor("index-space-v2", versionSeen, 2); // slower: it lags
        live.start();
        await(() -> liveSeen.size() == 300);
        version.start();
        FakeBackend backend = new FakeBackend();

        String promoted = swap(Duration.ofSeconds(30))
                .run("vector-index", version, "test swap", stoppedAt -> backend.promote(stoppedAt, versionSeen));

        assertThat(promoted).isEqualTo("v2");
        assertThat(backend.promotions).hasSize(1);
        assertThat(backend.versionHadSeen).as("what the version had seen when it was promoted").containsAll(liveSeen);
        Map<Integer, TrackingToken> stoppedAt = backend.promotions.getFirst();
        assertThat(stoppedAt).as("one token per segment of the live processor").hasSize(2);
        assertThat(stoppedAt.values().stream().mapToLong(token -> token.position().orElseThrow()).max())
                .as("the last event the live processor had handled").hasValue(299L);
        assertThat(live.isRunning()).as("the live processor runs again").isTrue();
        publish(10);
        await(() -> liveSeen.size() == 310); // it claimed its segments again and goes on
    }

    @Test
    void aVersionThatDoesNotCatchUpCallsTheSwapOffAndNothingChanges() throws Exception {
        publish(50);
        Set<Long> liveSeen = ConcurrentHashMap.newKeySet();
        PooledStreamingEventProcessor live = processor("vector-index", liveSeen, 0);
        PooledStreamingEventProcessor version = processor("index-space-v2", ConcurrentHashMap.newKeySet(), 0);
        live.start();
        await(() -> liveSeen.size() == 50);
        FakeBackend backend = new FakeBackend();
        // the version's processor never started: it has seen nothing

        assertThatThrownBy(() -> swap(Duration.ofMillis(300))
                .run("vector-index", version, "test swap", stoppedAt -> backend.promote(stoppedAt, Set.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("index-space-v2 did not see every event vector-index had seen")
                .hasMessageContaining("nothing changed");
        assertThat(backend.promotions).isEmpty();
        assertThat(live.isRunning()).isTrue();
        publish(5);
        await(() -> liveSeen.size() == 55);
    }

    @Test
    void aFailedPromotionStillStartsTheLiveProcessorAgain() throws Exception {
        publish(20);
        Set<Long> liveSeen = ConcurrentHashMap.newKeySet();
        Set<Long> versionSeen = ConcurrentHashMap.newKeySet();
        PooledStreamingEventProcessor live = processor("vector-index", liveSeen, 0);
        PooledStreamingEventProcessor version = processor("index-space-v2", versionSeen, 0);
        live.start();
        version.start();
        await(() -> liveSeen.size() == 20 && versionSeen.size() == 20);

        assertThatThrownBy(() -> swap(Duration.ofSeconds(30))
                .run("vector-index", version, "test swap", stoppedAt -> {
                    throw new IllegalStateException("the aliases did not move");
                }))
                .hasMessage("the aliases did not move");
        assertThat(live.isRunning()).isTrue();
        publish(3);
        await(() -> liveSeen.size() == 23);
    }

    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            events.publish(GenericEventMessage.asEventMessage("event " + i));
        }
    }

    /** A processor of two segments recording the positions it handled; {@code pauseMillis} per event makes it lag. */
    private PooledStreamingEventProcessor processor(String name, Set<Long> seen, long pauseMillis) {
        AtomicInteger handled = new AtomicInteger();
        EventMessageHandler handler = new EventMessageHandler() {
            @Override
            public Object handle(EventMessage<?> event) throws Exception {
                if (pauseMillis > 0 && handled.incrementAndGet() % 10 == 0) {
                    Thread.sleep(pauseMillis * 10);
                }
                return null;
            }
        };
        ScheduledExecutorService coordinator = Executors.newScheduledThreadPool(1, new AxonThreadFactory("c-" + name));
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(2, new AxonThreadFactory("w-" + name));
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(handler).build())
                .messageSource(events)
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.INSTANCE)
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(2)
                .initialToken(StreamableMessageSource::createTailToken)
                .build();
        processors.put(name, processor);
        processor.registerHandlerInterceptor((unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked) {
                seen.add(tracked.trackingToken().position().orElseThrow());
            }
            return result;
        });
        cleanUp.add(() -> {
            processor.shutDown();
            coordinator.shutdownNow();
            workers.shutdownNow();
        });
        return processor;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
