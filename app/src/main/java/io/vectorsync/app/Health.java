package io.vectorsync.app;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.VectorIndex;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;

import java.util.Map;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready}: the event store, every index (each bounded by
 * a short timeout) and every processor; 503 when any is down.
 */
final class Health implements HttpService {

    private final Vectorsync app;

    Health(Vectorsync app) {
        this.app = app;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", (req, res) -> json(res, 200, Json.createObjectBuilder().add("status", "UP")))
                .get("/ready", this::ready);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        JsonObjectBuilder checks = Json.createObjectBuilder();
        boolean up = true;
        // with Axon Server the store still holds the tokens, dead letters and keys: checked as "store"
        AxonServerSettings axonServer = app.settings().axonServer();
        String store = axonServer.enabled() ? "store" : "eventStore";
        try {
            app.database().position("-", 0);
            checks.add(store, "UP");
        } catch (RuntimeException e) {
            checks.add(store, "DOWN: " + e.getMessage());
            up = false;
        }
        if (axonServer.enabled()) {
            boolean connected = app.axon().getComponent(AxonServerConnectionManager.class)
                    .isConnected(axonServer.context());
            checks.add("eventStore", (connected ? "UP: " : "DOWN: not connected to ") + "Axon Server at "
                    + axonServer.servers() + ", context " + axonServer.context());
            up &= connected;
        }
        JsonObjectBuilder indexes = Json.createObjectBuilder();
        for (VectorIndex index : app.indexes().all()) {
            boolean healthy = index.healthy();
            String detail = index.healthDetail();
            indexes.add(index.space().name(), (healthy ? "UP: " : "DOWN: ") + detail);
            up &= healthy;
        }
        checks.add("index", indexes);
        JsonObjectBuilder processors = Json.createObjectBuilder();
        for (Map.Entry<String, Boolean> processor : app.processors().entrySet()) {
            processors.add(processor.getKey(), processor.getValue() ? "UP" : "DOWN");
            up &= processor.getValue();
        }
        checks.add("processors", processors);
        json(res, up ? 200 : 503, Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", checks));
    }

    private static void json(ServerResponse res, int status, JsonObjectBuilder body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.build().toString());
    }
}
