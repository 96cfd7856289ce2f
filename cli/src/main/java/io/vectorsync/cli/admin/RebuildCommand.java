package io.vectorsync.cli.admin;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.cli.ProgressOption;
import io.vectorsync.cli.Table;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.http.Api;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vectorsync admin rebuild SPACE}: a blue/green rebuild (or a re-embedding, or a point-in-time build) into
 * the space's next index version; with {@code --watch} it follows the version's progress until it has caught up
 * (with {@code --auto-swap}: until it is live).
 */
@Command(name = "rebuild",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Builds the space's next index version from the event log while the live one serves "
                + "(POST /v1/admin/indexes/{space}/versions); options left out are as configured.",
                "With --watch: shows its progress until it has caught up (--auto-swap: until it is live); exit code 1 "
                        + "when it fails or is dropped."})
final class RebuildCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SPACE", description = "The embedding space.")
    String space;

    @Option(names = "--hnsw-m", paramLabel = "M", description = "HNSW graph degree.")
    Integer hnswM;

    @Option(names = "--hnsw-ef-construction", paramLabel = "EF", description = "HNSW beam width while building.")
    Integer hnswEfConstruction;

    @Option(names = "--ef-search", paramLabel = "EF", description = "HNSW beam width while searching.")
    Integer efSearch;

    @Option(names = "--quantization", paramLabel = "Q",
            description = "none, int7, int4 or bbq (embedded index); none or sq (OpenSearch).")
    String quantization;

    @Option(names = "--shards", paramLabel = "N", description = "OpenSearch only.")
    Integer shards;

    @Option(names = "--replicas", paramLabel = "N", description = "OpenSearch only.")
    Integer replicas;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Re-embed with another model (e.g. all-minilm-l6-v2-q).")
    String model;

    @Option(names = "--reembed-per-second", paramLabel = "N", description = "Throttle of a re-embedding (default 20).")
    Integer reembedPerSecond;

    @Option(names = "--auto-swap", description = "Make it live once it has caught up.")
    boolean autoSwap;

    @ArgGroup(exclusive = true)
    Until until;

    @Option(names = "--watch", description = "Show its progress until it has caught up (or is live), then exit.")
    boolean watch;

    @Mixin
    ProgressOption progressOption;

    /** A point-in-time build's cut. */
    static final class Until {
        @Option(names = "--until-position", paramLabel = "POSITION", required = true,
                description = "Point in time: replay the log up to this position (read-only version).")
        Long position;

        @Option(names = "--until-timestamp", paramLabel = "INSTANT", required = true,
                description = "Point in time: replay the log up to this ISO-8601 instant (read-only version).")
        String timestamp;
    }

    @Override
    public Integer call() {
        Api api = VectorsyncCli.api(spec);
        JsonObject version = api.post("/v1/admin/indexes/" + Api.segment(space) + "/versions", body());
        int number = version.getInt("version");
        PrintWriter out = spec.commandLine().getOut();
        out.println("space " + space + ": building version " + number + " (" + Table.text(version, "role")
                + ", processor " + Table.text(version, "processor") + ")");
        out.flush();
        return watch ? watch(api, number) : VectorsyncCli.OK;
    }

    private JsonObject body() {
        JsonObjectBuilder body = Json.createObjectBuilder();
        add(body, "hnswM", hnswM);
        add(body, "hnswEfConstruction", hnswEfConstruction);
        add(body, "efSearch", efSearch);
        add(body, "shards", shards);
        add(body, "replicas", replicas);
        add(body, "reembedPerSecond", reembedPerSecond);
        if (quantization != null) {
            body.add("quantization", quantization);
        }
        if (model != null) {
            body.add("model", model);
        }
        if (autoSwap) {
            body.add("autoSwap", true);
        }
        if (until != null) {
            body.add("until", until.position != null ? Json.createObjectBuilder().add("position", until.position)
                    : Json.createObjectBuilder().add("timestamp", until.timestamp));
        }
        return body.build();
    }

    private static void add(JsonObjectBuilder body, String name, Integer value) {
        if (value != null) {
            body.add(name, value);
        }
    }

    /** Polls the version until it is done; its progress ({@code eventsDone}/{@code eventsTotal}) as a task. */
    private int watch(Api api, int number) {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = progressOption.create(spec.commandLine().getErr());
        Progress.Task task = null;
        long total = 0;
        long shown = 0;
        try {
            while (true) {
                JsonObject version = Indexes.version(Indexes.space(api.get("/v1/admin/indexes"), space), number)
                        .orElseThrow(() -> new Failure("version " + number + " of space '" + space
                                + "' is gone: it was dropped"));
                String role = version.getString("role", "");
                Optional<JsonObject> feed = Optional.ofNullable(version.getJsonObject("progress"));
                Optional<JsonObject> reembedding = Optional.ofNullable(version.getJsonObject("reembedding"));
                String error = feed.map(p -> p.getString("error", null))
                        .or(() -> reembedding.map(r -> r.getString("error", null))).orElse(null);
                if (error != null) {
                    throw new Failure("version " + number + " of space '" + space + "' failed: " + error);
                }
                if (feed.isPresent()) {
                    long done = feed.get().getJsonNumber("eventsDone").longValue();
                    if (task == null) {
                        total = feed.get().getJsonNumber("eventsTotal").longValue();
                        task = progress.start("version " + number, total, "events");
                    }
                    long at = Math.min(done, total);
                    task.advance(at - shown);
                    shown = at;
                }
                boolean caughtUp = feed.map(p -> p.getBoolean("caughtUp", false)).orElse(false)
                        && reembedding.map(r -> r.getBoolean("finished", false)).orElse(true);
                if (role.equals("live") || (caughtUp && !autoSwap)) {
                    if (task != null) {
                        task.advance(total - shown);
                        task.close();
                        task = null;
                    }
                    out.println("space " + space + ": version " + number + (role.equals("live") ? " is live"
                            : " has caught up (" + role + ")" + (role.equals("building")
                            ? "; make it live with: vectorsync admin swap " + space + " " + number : "")));
                    out.flush();
                    return VectorsyncCli.OK;
                }
                Thread.sleep(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", e);
        } finally {
            if (task != null) {
                task.close();
            }
        }
    }
}
