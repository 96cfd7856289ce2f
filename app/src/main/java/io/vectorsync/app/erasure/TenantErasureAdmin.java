package io.vectorsync.app.erasure;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Json;
import io.vectorsync.store.TenantErasures;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A whole tenant's erasure (issue 21), under {@code /v1/admin}: {@code DELETE /tenants/{tenant}} records it (202; a
 * node that takes writes carries it out, resumably, see {@link TenantEraser}) and {@code GET
 * /tenants/{tenant}/erasure} tells how far it has got. {@code complete} is true once every document is erased and
 * the erasure processor has removed every other copy; {@code ?wait=true} waits up to two minutes for that (200), or
 * answers 202 as it stands.
 */
public final class TenantErasureAdmin implements HttpService {

    /** How long {@code ?wait=true} waits. */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /** Whether erasures are complete up to a log position, waiting at most the given time. */
    public interface ErasuresComplete {
        boolean await(long position, Duration patience);
    }

    private final TenantErasures erasures;
    private final java.util.function.LongSupplier head;
    private final Runnable kick;
    private final ErasuresComplete complete;
    private final Clock clock;

    /** @param kick starts a requested erasure at once on this node, when it takes writes (else: nothing) */
    public TenantErasureAdmin(TenantErasures erasures, java.util.function.LongSupplier head, Runnable kick,
                              ErasuresComplete complete, Clock clock) {
        this.erasures = erasures;
        this.head = head;
        this.kick = kick;
        this.complete = complete;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.delete("/tenants/{tenant}", this::erase)
                .get("/tenants/{tenant}/erasure", this::progress);
    }

    private void erase(ServerRequest req, ServerResponse res) {
        String tenant = tenant(req);
        boolean wait = wait(req);
        erasures.request(tenant, clock.instant(), head.getAsLong());
        kick.run();
        long deadline = System.nanoTime() + (wait ? PATIENCE.toNanos() : 0);
        TenantErasures.Progress progress = erasures.find(tenant).orElseThrow();
        while (wait && !progress.done() && System.nanoTime() < deadline) {
            io.vectorsync.ui.access.Bulkheads.whileWaiting(TenantErasureAdmin::pause);
            progress = erasures.find(tenant).orElseThrow();
        }
        boolean done = progress.done() && complete.await(progress.lastPosition(),
                wait ? Duration.ofNanos(Math.max(0, deadline - System.nanoTime())) : Duration.ZERO);
        res.status(done ? Status.OK_200 : Status.ACCEPTED_202);
        send(res, json(progress, done));
    }

    private void progress(ServerRequest req, ServerResponse res) {
        String tenant = tenant(req);
        Optional<TenantErasures.Progress> progress = erasures.find(tenant);
        if (progress.isEmpty()) {
            throw new NotFoundException("tenant '" + tenant + "' has not been erased (DELETE /v1/admin/tenants/"
                    + tenant + " erases it)");
        }
        TenantErasures.Progress known = progress.get();
        send(res, json(known, known.done() && complete.await(known.lastPosition(), Duration.ZERO)));
    }

    /** An erasure's progress as the API answers it. */
    public static JsonObject json(TenantErasures.Progress progress, boolean complete) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("tenant", progress.tenant())
                .add("state", progress.done() ? "done" : "running")
                .add("pass", progress.pass())
                .add("documentsSeen", progress.seen())
                .add("documentsErased", progress.erased())
                .add("requestedAt", progress.requestedAt().toString());
        if (progress.finishedAt() != null) {
            json.add("finishedAt", progress.finishedAt().toString());
        }
        return json.add("complete", complete).build();
    }

    private static String tenant(ServerRequest req) {
        String tenant = req.path().pathParameters().get("tenant");
        DocumentIds.requireValidTenant(tenant);
        return tenant;
    }

    private static boolean wait(ServerRequest req) {
        Optional<String> value = req.query().first("wait").asOptional();
        if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.get().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidInputException("wait", "must be true or false; got '" + value.get() + "'");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(ServerResponse res, JsonObject body) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(body.toString());
    }
}
