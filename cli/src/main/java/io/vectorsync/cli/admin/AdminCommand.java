package io.vectorsync.cli.admin;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Table;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.http.Api;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vectorsync admin …}: the admin API — health, processors, index versions, drift; the dead letters in
 * {@link DeadLettersCommand}, rebuilds in {@link RebuildCommand}.
 */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        description = "Operates a running Vectorsync: health, processors, index versions, dead letters, drift.",
        subcommands = {RebuildCommand.class, DeadLettersCommand.class})
public final class AdminCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Readiness (event store, indexes, processors), the cluster's nodes and the processors' lag.",
                    "Exit code 1 when the app is not ready."})
    int status() {
        Api api = VectorsyncCli.api(spec);
        PrintWriter out = out();
        Api.Response ready = api.send("GET", "/health/ready", null, null);
        if (ready.status() != 200 && ready.status() != 503) {
            throw Api.failure("GET", "/health/ready", ready);
        }
        JsonObject health = ready.json();
        out.println("ready: " + Table.text(health, "status"));
        JsonObject checks = health.getJsonObject("checks");
        if (checks != null) {
            checks.forEach((name, value) -> {
                if (value instanceof JsonObject group) {
                    List<String> down = new ArrayList<>();
                    group.forEach((member, state) -> {
                        if (!Table.text(state).startsWith("UP")) {
                            down.add(member + " " + Table.text(state));
                        }
                    });
                    out.println("  " + name + ": " + (down.isEmpty() ? group.size() + " UP" : String.join("; ", down)));
                } else {
                    out.println("  " + name + ": " + Table.text(value));
                }
            });
        }
        JsonObject cluster = api.get("/v1/admin/cluster");
        List<String> nodes = new ArrayList<>();
        for (JsonValue value : cluster.getJsonArray("nodes")) {
            JsonObject node = value.asJsonObject();
            nodes.add(Table.text(node, "id") + " (" + Table.text(node, "roles") + (node.getBoolean("live", false) ? "" : ", not live") + ")");
        }
        out.println("cluster: " + nodes.size() + " node(s): " + String.join(", ", nodes));
        List<JsonObject> processors = api.get("/v1/admin/processors").getJsonArray("processors")
                .getValuesAs(JsonObject.class);
        long running = processors.stream().filter(p -> p.getBoolean("running", false)).count();
        long errors = processors.stream().filter(p -> p.getBoolean("error", false)).count();
        long lag = processors.stream().mapToLong(AdminCommand::lag).max().orElse(0);
        out.println("processors: " + processors.size() + ", " + running + " running, " + errors + " in error; "
                + "largest lag " + lag + " events");
        out.flush();
        return ready.status() == 200 ? VectorsyncCli.OK : VectorsyncCli.FAILED;
    }

    @Command(name = "processors", mixinStandardHelpOptions = true,
            description = "Every processing group: kind, state, position and lag in events.")
    int processors(@Option(names = "--json", description = "Print the API's JSON answer as it is.") boolean json) {
        JsonObject answer = VectorsyncCli.api(spec).get("/v1/admin/processors");
        if (json) {
            return print(answer);
        }
        Table table = new Table("NAME", "KIND", "STATE", "POSITION", "LAG", "SEGMENTS");
        for (JsonObject processor : answer.getJsonArray("processors").getValuesAs(JsonObject.class)) {
            List<JsonObject> segments = processor.containsKey("segments")
                    ? processor.getJsonArray("segments").getValuesAs(JsonObject.class) : List.of();
            String position = segments.stream().filter(s -> s.get("position") instanceof jakarta.json.JsonNumber)
                    .mapToLong(s -> s.getJsonNumber("position").longValue()).min().stream()
                    .mapToObj(Long::toString).findFirst().orElse("-");
            table.row(Table.text(processor, "name"), Table.text(processor, "kind"), state(processor), position,
                    lag(processor), segments.size());
        }
        table.print(out());
        return VectorsyncCli.OK;
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replays a processor from the start of the log on every node (vector-index: every index "
                    + "is emptied and refilled; a rebuild has no such gap).")
    int replay(@Parameters(paramLabel = "PROCESSOR", description = "The processing group, e.g. vector-index.") String name) {
        JsonObject answer = VectorsyncCli.api(spec).post("/v1/admin/processors/" + Api.segment(name) + "/replay", null);
        out().println("processor " + name + " replays from the start of the log (now " + state(answer) + ")");
        out().flush();
        return VectorsyncCli.OK;
    }

    @Command(name = "swap", mixinStandardHelpOptions = true,
            description = "Makes a caught-up index version live; the live one becomes previous (a rollback target).")
    int swap(@Parameters(index = "0", paramLabel = "SPACE") String space,
             @Parameters(index = "1", paramLabel = "VERSION") int version) {
        return swapTo(VectorsyncCli.api(spec), space, version);
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Swaps a space back to its previous index version (which kept following the log).")
    int rollback(@Parameters(paramLabel = "SPACE") String space) {
        Api api = VectorsyncCli.api(spec);
        JsonObject versions = Indexes.space(api.get("/v1/admin/indexes"), space);
        int previous = versions.getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .filter(v -> v.getString("role", "").equals("previous")).mapToInt(v -> v.getInt("version"))
                .max().orElseThrow(() -> new Failure("space '" + space + "' has no previous version to roll back to "
                        + "(live: version " + versions.getInt("liveVersion", 0) + ")"));
        return swapTo(api, space, previous);
    }

    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = {"Checks a space's live index against the event log, document by document; with --repair "
                    + "re-projects what is missing or stale and tombstones orphans.",
                    "Exit code 1 when drift remains."})
    int drift(@Parameters(paramLabel = "SPACE") String space,
              @Option(names = "--repair", description = "Repair what the check finds.") boolean repair,
              @Option(names = "--index-version", paramLabel = "N", description = "Check index version N instead of the live one.")
              Integer version,
              @Option(names = "--json", description = "Print the API's JSON answer as it is.") boolean json) {
        Api api = VectorsyncCli.api(spec);
        String path = "/v1/admin/indexes/" + Api.segment(space) + "/drift" + (repair ? "/repair" : "")
                + (version == null ? "" : "?version=" + version);
        JsonObject answer = repair ? api.post(path, null) : api.get(path);
        long drift = answer.getJsonNumber("drift").longValue();
        if (json) {
            print(answer);
        } else {
            out().println("space " + space + ": " + (drift == 0 ? "no drift" : "drift in " + drift + " document(s)")
                    + ", " + Table.text(answer, "inSync") + " in sync (checked up to position "
                    + Table.text(answer, "checkedUpTo") + ")"
                    + (answer.containsKey("repaired") ? "; repaired " + Table.text(answer, "repaired") : ""));
            if (drift > 0 && answer.get("counts") instanceof JsonObject counts) {
                counts.forEach((kind, count) -> out().println("  " + kind + ": " + Table.text(count)));
            }
            out().flush();
        }
        return drift == 0 ? VectorsyncCli.OK : VectorsyncCli.FAILED;
    }

    private int swapTo(Api api, String space, int version) {
        JsonObject spaces = api.post("/v1/admin/indexes/" + Api.segment(space) + "/versions/" + version + "/swap", null);
        out().println("space " + space + ": version " + Indexes.space(spaces, space).getInt("liveVersion", version)
                + " is live");
        out().flush();
        return VectorsyncCli.OK;
    }

    private static String state(JsonObject processor) {
        if (processor.getBoolean("error", false)) {
            return "error";
        }
        if (processor.containsKey("heldFor")) {
            return "held (" + Table.text(processor, "heldFor") + ")";
        }
        return processor.getBoolean("running", false) ? "running" : "stopped";
    }

    /** The most any of a processor's segments lags, in events. */
    private static long lag(JsonObject processor) {
        if (!(processor.get("segments") instanceof jakarta.json.JsonArray segments)) {
            return 0;
        }
        return segments.getValuesAs(JsonObject.class).stream()
                .filter(s -> s.get("lagEvents") instanceof jakarta.json.JsonNumber)
                .mapToLong(s -> s.getJsonNumber("lagEvents").longValue()).max().orElse(0);
    }

    private int print(JsonObject json) {
        out().println(json);
        out().flush();
        return VectorsyncCli.OK;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
