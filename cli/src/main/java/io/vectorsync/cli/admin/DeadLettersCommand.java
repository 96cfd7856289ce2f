package io.vectorsync.cli.admin;

import io.vectorsync.cli.Table;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.http.Api;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code vectorsync admin dlq …}: the events processors could not handle, by group; retrying them. */
@Command(name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Dead letters: the events a processor could not handle, waiting per document.")
final class DeadLettersCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Per group the documents (sequences) and letters waiting; with GROUP, that group's letters.")
    int list(@Parameters(arity = "0..1", paramLabel = "GROUP", description = "A processing group.") String group,
             @Option(names = "--json", description = "Print the API's JSON answer as it is.") boolean json) {
        Api api = VectorsyncCli.api(spec);
        PrintWriter out = spec.commandLine().getOut();
        if (group != null) {
            JsonObject answer = api.get("/v1/admin/dead-letters/" + Api.segment(group));
            if (json) {
                out.println(answer);
            } else {
                Table table = new Table("SEQUENCE", "EVENT", "ATTEMPTS", "CAUSE");
                for (JsonObject sequence : answer.getJsonArray("sequences").getValuesAs(JsonObject.class)) {
                    for (JsonObject letter : sequence.getJsonArray("letters").getValuesAs(JsonObject.class)) {
                        JsonObject cause = letter.getJsonObject("cause");
                        table.row(Table.text(sequence, "sequence"), Table.text(letter, "eventType"),
                                Table.text(letter, "attempts"), cause == null ? ""
                                        : Api.abbreviate(Table.text(cause, "type") + ": " + Table.text(cause, "message"), 100));
                    }
                }
                table.print(out);
            }
            out.flush();
            return VectorsyncCli.OK;
        }
        JsonObject answer = api.get("/v1/admin/dead-letters");
        if (json) {
            out.println(answer);
        } else {
            Table table = new Table("GROUP", "SEQUENCES", "LETTERS");
            answer.getJsonArray("groups").getValuesAs(JsonObject.class).forEach(row -> table.row(
                    Table.text(row, "group"), Table.text(row, "sequences"), Table.text(row, "letters")));
            table.print(out);
        }
        out.flush();
        return VectorsyncCli.OK;
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = {"Retries a group's dead letters (each document's from its first); one that fails again "
                    + "stays, its attempts counted.", "Exit code 1 when letters failed again."})
    int redrive(@Parameters(paramLabel = "GROUP", description = "A processing group.") String group,
                @Option(names = "--sequence", paramLabel = "TENANT/ID", description = "Only this document's letters.")
                String sequence) {
        String query = sequence == null ? "" : "?sequence=" + URLEncoder.encode(sequence, StandardCharsets.UTF_8);
        JsonObject answer = VectorsyncCli.api(spec).post("/v1/admin/dead-letters/" + Api.segment(group) + "/retry"
                + query, null);
        long tried = answer.getJsonNumber("sequencesTried").longValue();
        long cleared = answer.getJsonNumber("sequencesCleared").longValue();
        spec.commandLine().getOut().println(group + ": " + cleared + " of " + tried + " document(s) cleared, "
                + Table.text(answer, "lettersLeft") + " letter(s) left");
        spec.commandLine().getOut().flush();
        return cleared == tried ? VectorsyncCli.OK : VectorsyncCli.FAILED;
    }
}
