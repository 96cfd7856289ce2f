package io.vectorsync.app.erasure;

import io.vectorsync.command.commit.CommandSubmitter;
import io.vectorsync.domain.EraseDocument;
import io.vectorsync.domain.EraseOutcome;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.TenantErasures;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Erases whole tenants (issue 21) on a node that takes writes: each erasure recorded in {@link TenantErasures} is
 * claimed by one such node, which erases the tenant's documents page by page in the order of their ids, as
 * {@link EraseDocument} commands, and records each page done. After a crash the claim lapses and the erasure resumes
 * from the last page recorded (a page done twice is harmless: erasing an erased document changes nothing). A pass that
 * erased nothing ends it: documents written while it ran are erased by the next pass.
 */
public final class TenantEraser implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TenantEraser.class.getName());
    static final int PAGE = 200;

    private final TenantErasures erasures;
    private final EventStoreDatabase database;
    private final CommandSubmitter committer;
    private final LogPositions log;
    private final String node;
    private final Clock clock;
    private final ScheduledExecutorService worker;

    public TenantEraser(EventStoreDatabase database, CommandSubmitter committer, LogPositions log, String node,
                        Clock clock) {
        this.erasures = database.tenantErasures();
        this.database = database;
        this.committer = committer;
        this.log = log;
        this.node = node;
        this.clock = clock;
        this.worker = daemon("tenant-eraser");
        // picks up what was requested here or on another node, and what a crashed node left
        worker.scheduleWithFixedDelay(this::workOnAll, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts on a requested erasure now rather than at the next look. */
    public void kick() {
        worker.execute(this::workOnAll);
    }

    private void workOnAll() {
        try {
            for (TenantErasures.Progress running : erasures.running()) {
                if (erasures.claim(running.tenant(), node, clock.instant())) {
                    work(running.tenant());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a tenant's erasure stopped; it resumes from its last page: " + e.getMessage(), e);
        }
    }

    private void work(String tenant) {
        String prefix = tenant + "/";
        while (!worker.isShutdown()) {
            TenantErasures.Progress progress = erasures.find(tenant).orElseThrow();
            if (progress.done()) {
                return;
            }
            List<String> page = database.aggregateIds(prefix, progress.cursor(), PAGE);
            if (page.isEmpty()) {
                if (progress.passErased() == 0) {
                    erasures.finish(tenant, clock.instant());
                    LOG.info(() -> "tenant '" + tenant + "' erased: " + progress.erased() + " document(s) in "
                            + progress.pass() + " pass(es)");
                    return;
                }
                erasures.nextPass(tenant, log.headPosition());
                continue;
            }
            List<CompletableFuture<Object>> outcomes = new ArrayList<>(page.size());
            for (String id : page) {
                outcomes.add(committer.submit(new EraseDocument(tenant, id.substring(prefix.length()))));
            }
            // where each document's erasure stands: after the pass's start, this pass did it — also when a crash hid
            // the outcome and the resumed page finds it erased already
            List<Map.Entry<String, Long>> events = new ArrayList<>();
            for (int i = 0; i < page.size(); i++) {
                EraseOutcome outcome = (EraseOutcome) outcomes.get(i).join();
                events.add(Map.entry(page.get(i), outcome.version() - 1));
            }
            Map<Map.Entry<String, Long>, Long> positions = log.positions(events);
            long erased = 0;
            long last = -1;
            for (Long position : positions.values()) {
                if (position > progress.startPosition()) {
                    erased++;
                    last = Math.max(last, position);
                }
            }
            erasures.advance(tenant, page.getLast(), page.size(), erased, last);
            if (!erasures.claim(tenant, node, clock.instant())) {
                return; // another node took it over (this one was too slow to renew)
            }
        }
    }

    @Override
    public void close() {
        stop(worker);
    }

    /** One daemon thread of that name, for the erasure's background work. */
    static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Interrupts the work and waits for it to end (at most 10 s). */
    static void stop(ScheduledExecutorService worker) {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
