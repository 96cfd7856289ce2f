package io.vectorsync.cli.documents;

import io.vectorsync.cli.Table;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.http.Api;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code vectorsync delete ID --tenant T}: deletes a document (an upsert afterwards restores it). */
@Command(name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes a document; it leaves searches, its history stays (an upsert restores it).")
public final class DeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TenantOption tenant;

    @Parameters(index = "0", paramLabel = "ID", description = "The document's id.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept with the delete in the history.")
    String reason;

    @Override
    public Integer call() {
        String query = reason == null ? "" : "?reason=" + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8);
        JsonObject answer = VectorsyncCli.api(spec).delete(tenant.path() + "/documents/" + Api.segment(id) + query);
        spec.commandLine().getOut().println(Table.text(answer, "documentId") + ": " + Table.text(answer, "result")
                + " (version " + Table.text(answer, "version") + ")");
        spec.commandLine().getOut().flush();
        return VectorsyncCli.OK;
    }
}
