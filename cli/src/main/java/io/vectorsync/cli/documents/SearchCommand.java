package io.vectorsync.cli.documents;

import io.vectorsync.cli.Table;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.http.Api;
import io.vectorsync.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync search TEXT --tenant T}: a search, as a table of hits or the API's JSON. */
@Command(name = "search",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Searches a tenant's documents by meaning (knn) or by meaning and words (hybrid).")
public final class SearchCommand implements Callable<Integer> {

    /** How the search ranks: the API's {@code mode}. */
    public enum Mode { KNN, HYBRID }

    @Spec
    CommandSpec spec;

    @Mixin
    TenantOption tenant;

    @Parameters(index = "0", paramLabel = "TEXT", description = "What to search for.")
    String text;

    @Option(names = "-k", paramLabel = "K", defaultValue = "5", description = "How many hits (1-100), default ${DEFAULT-VALUE}.")
    int k;

    @Option(names = {"-s", "--space"}, paramLabel = "SPACE", description = "The embedding space (default: the app's default space).")
    String space;

    @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE",
            description = "A metadata condition; repeat it for more (all must hold). The same key twice means any of "
                    + "the values. A number or true/false is compared as one.")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-m", "--mode"}, paramLabel = "MODE", description = "knn (the default) or hybrid.")
    Mode mode;

    @Option(names = "--json", description = "Print the API's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() {
        JsonObjectBuilder body = Json.createObjectBuilder().add("text", text).add("k", k);
        if (space != null) {
            body.add("space", space);
        }
        if (mode != null) {
            body.add("mode", mode.name().toLowerCase(Locale.ROOT));
        }
        if (!filters.isEmpty()) {
            body.add("filter", filter());
        }
        JsonObject answer = VectorsyncCli.api(spec).post(tenant.path() + "/search", body.build());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(answer);
            out.flush();
            return VectorsyncCli.OK;
        }
        Table table = new Table("RANK", "SCORE", "ID", "TITLE / PASSAGE");
        int rank = 0;
        for (JsonValue value : answer.getJsonArray("hits")) {
            JsonObject hit = value.asJsonObject();
            JsonObject passage = hit.containsKey("passage") && hit.get("passage") instanceof JsonObject p ? p : null;
            String title = Table.text(hit, "title");
            String snippet = passage == null ? "" : Api.abbreviate(Table.text(passage, "text"), 80);
            table.row(++rank, String.format(Locale.ROOT, "%.4f", hit.getJsonNumber("score").doubleValue()),
                    Table.text(hit, "documentId"), title.isEmpty() ? snippet
                            : snippet.isEmpty() ? title : title + " — " + snippet);
        }
        if (table.size() == 0) {
            out.println("no hits (" + answer.getString("mode", "knn") + ", space " + answer.getString("space", "?") + ")");
        } else {
            table.print(out);
        }
        out.flush();
        return VectorsyncCli.OK;
    }

    /** {@code key=value} conditions as the API's filter: a value, or the list of a key's values. */
    private JsonObject filter() {
        Map<String, List<JsonValue>> conditions = new LinkedHashMap<>();
        for (String filter : filters) {
            int equals = filter.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(), "--filter takes KEY=VALUE, not '" + filter + "'");
            }
            conditions.computeIfAbsent(filter.substring(0, equals), key -> new ArrayList<>())
                    .add(value(filter.substring(equals + 1)));
        }
        JsonObjectBuilder out = Json.createObjectBuilder();
        conditions.forEach((key, values) -> {
            if (values.size() == 1) {
                out.add(key, values.getFirst());
            } else {
                JsonArrayBuilder any = Json.createArrayBuilder();
                values.forEach(any::add);
                out.add(key, any);
            }
        });
        return out.build();
    }

    static JsonValue value(String text) {
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true") ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return Json.createValue(new BigDecimal(text));
        }
        return Json.createValue(text);
    }
}
