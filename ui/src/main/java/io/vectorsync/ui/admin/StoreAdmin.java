package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.json.Json;
import io.vectorsync.store.StoreReport;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.function.Supplier;

/**
 * {@code GET /v1/admin/store}: the event store's size on disk against its live data, its events, and the bytes an
 * event of each type takes (see {@link StoreReport}). It reads the whole event table, so it is measured when asked.
 */
public final class StoreAdmin implements HttpService {

    private final Supplier<StoreReport> report;

    public StoreAdmin(Supplier<StoreReport> report) {
        this.report = report;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/store", (req, res) -> {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(toJson(report.get()).toString());
        });
    }

    static JsonObject toJson(StoreReport store) {
        JsonArrayBuilder types = Json.createArrayBuilder();
        for (StoreReport.EventType type : store.eventTypes()) {
            types.add(Json.createObjectBuilder()
                    .add("type", type.type())
                    .add("events", type.events())
                    .add("payloadBytes", type.payloadBytes())
                    .add("metadataBytes", type.metadataBytes())
                    .add("bytesPerEvent", Math.round(type.bytesPerEvent())));
        }
        JsonArrayBuilder tables = Json.createArrayBuilder();
        store.tables().forEach(t -> tables.add(Json.createObjectBuilder().add("name", t.name()).add("bytes", t.bytes())));
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("kind", store.kind())
                .add("location", store.location())
                .add("sizeOnDiskBytes", store.sizeOnDiskBytes())
                .add("liveDataBytes", store.liveDataBytes())
                .add("sizeOnDiskPerLiveByte", store.liveDataBytes() > 0
                        ? Math.round(100.0 * store.sizeOnDiskBytes() / store.liveDataBytes()) / 100.0 : 0)
                .add("events", store.events())
                .add("eventTypes", types)
                .add("tables", tables);
        return json.build();
    }
}
