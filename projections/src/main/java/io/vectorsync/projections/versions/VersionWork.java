package io.vectorsync.projections.versions;

import java.time.Duration;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Whether a version is ready to go live, and the work of a version that must run once in the cluster — its
 * re-embedding, its automatic swap — done by the node that leads the version: the one that claims segment 0 of its
 * processor. The claim moves to another projector when this one stops or dies, and the work with it; a re-embedding
 * started again skips what was embedded already.
 */
final class VersionWork {

    private static final Logger LOG = Logger.getLogger(VersionWork.class.getName());

    /** How long a swap waits for a version that is behind the head of the log to catch up before refusing. */
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(5);

    private final Reembedding reembedding;
    private final SpaceModels models;
    private final VersionFeeds feeds;

    VersionWork(Reembedding reembedding, SpaceModels models, VersionFeeds feeds) {
        this.reembedding = reembedding;
        this.models = models;
        this.feeds = feeds;
    }

    /** The version's processor has passed the head on every node, and its re-embedding here, if any, is done. */
    boolean caughtUp(FedVersions.Fed running, long head) {
        IndexVersion version = running.version();
        return !reembedding.running(version.space(), version.version())
                && feeds.reachedEverywhere(running.feed().processor(), head);
    }

    /**
     * Whether the version has caught up with {@code head}, given {@link #CATCH_UP_WAIT} to get there: a version
     * following the log is usually a few events behind the live one (they run side by side), and a swap asked for
     * then should not fail for it. A version still re-embedding is not waited for.
     */
    boolean awaitCaughtUp(FedVersions.Fed running, long head) {
        long deadline = System.nanoTime() + CATCH_UP_WAIT.toNanos();
        IndexVersion version = running.version();
        while (!caughtUp(running, head)) {
            if (reembedding.running(version.space(), version.version()) || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A version being built with another model than the live one: every live document is embedded with it. */
    boolean reembeds(IndexVersion version) {
        String model = models.modelOf(version);
        return version.role() == Role.BUILDING && model != null && !model.equals(models.live(version.space()));
    }

    /** Starts the version's re-embedding here, if it has one ({@link Reembedding}). */
    void startReembedding(IndexVersion version) {
        if (reembeds(version)) {
            reembedding.start(version, models.modelOf(version));
        }
    }

    /** Whether this node leads the version: it claims segment 0 of its processor. */
    static boolean leads(FedVersions.Fed running) {
        return running.feed().processor().processingStatus().containsKey(0);
    }

    /**
     * Whether this node leads the version and knows how its re-embedding stands (it runs or ran it here), so it may
     * swap it once caught up.
     */
    boolean leadsAndKnows(FedVersions.Fed running) {
        IndexVersion version = running.version();
        return leads(running) && reembedding.has(version.space(), version.version()) == reembeds(version);
    }

    /** Runs each re-embedding on the node that leads its version, and stops it where another node leads. */
    void placeReembeddings(Collection<FedVersions.Fed> fed) {
        for (FedVersions.Fed running : fed) {
            IndexVersion version = running.version();
            if (!reembeds(version)) {
                continue;
            }
            boolean here = reembedding.has(version.space(), version.version());
            if (leads(running) && !here) {
                startReembedding(version); // skips what an earlier run (here or elsewhere) embedded
            } else if (!leads(running) && here && reembedding.running(version.space(), version.version())) {
                reembedding.cancel(version.space(), version.version());
                LOG.info(() -> "space '" + version.space() + "': the re-embedding of version " + version.version()
                        + " goes on on the node that claims segment 0 of " + version.group());
            }
        }
    }
}
