package io.vectorsync.store;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event store as the source of the streaming processors, waking them the moment this process
 * commits events. Axon's embedded event store offers no availability callback, so a pooled streaming
 * processor with nothing to do looks again only after 500 ms: a text written just after a look waited
 * that long for the encoder. Here every stream takes a callback: it is run after each commit of events
 * in this process, and every {@link #POLL} as before for events other processes write to a shared store.
 * <p>
 * The store's own tailing reader fetches new events on the same commit, on its own thread; a stream
 * woken by a commit therefore waits up to {@link #FETCH_WAIT} for them before answering that none are
 * there, so the processor does not go back to sleep a moment too early. A stream that calls back by itself (Axon
 * Server's) does so as well.
 */
public final class WakingEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    /** How often streams are woken without a local commit: Axon's own polling interval. */
    static final Duration POLL = Duration.ofMillis(500);
    /** The longest a woken stream waits for the committed events to reach it. */
    static final Duration FETCH_WAIT = Duration.ofMillis(100);

    private final EventStore store;
    private final Set<WakingStream> streams = ConcurrentHashMap.newKeySet();
    private final Registration subscription;
    private final ScheduledExecutorService poller;

    public WakingEventSource(EventStore store) {
        this.store = store;
        this.subscription = store.subscribe(this::published);
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-source-poll");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> wakeAll(false), POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called as events are published, before their transaction commits: wakes the streams after it. */
    private void published(List<? extends EventMessage<?>> events) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> wakeAll(true));
        } else {
            wakeAll(true);
        }
    }

    /** Another process committed events to the shared store: every stream looks for them now. */
    public void wake() {
        wakeAll(true);
    }

    private void wakeAll(boolean committed) {
        for (WakingStream stream : streams) {
            stream.wake(committed);
        }
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        WakingStream stream = new WakingStream(store.openStream(trackingToken));
        streams.add(stream);
        return stream;
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    @Override
    public void close() {
        subscription.cancel();
        poller.shutdownNow();
    }

    private final class WakingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable callback;
        /** A commit woke this stream and no look has waited for its events yet. */
        private volatile boolean committed;

        private WakingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        void wake(boolean afterCommit) {
            if (afterCommit) {
                committed = true;
            }
            Runnable wakeUp = callback;
            if (wakeUp != null) {
                wakeUp.run();
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.callback = callback;
            // Axon Server's streams call it as events arrive, whoever wrote them; the embedded store's cannot
            delegate.setOnAvailableCallback(callback);
            return true;
        }

        @Override
        public boolean hasNextAvailable() {
            try {
                if (delegate.hasNextAvailable(0, TimeUnit.NANOSECONDS)) {
                    return true;
                }
                if (committed) {
                    committed = false;
                    return delegate.hasNextAvailable((int) FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }
}
