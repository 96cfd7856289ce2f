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

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code vectorsync get ID --tenant T}: a document's current state. */
@Command(name = "get",
        mixinStandardHelpOptions = true,
        description = "Shows a document: title, version, embedding status, metadata and body.")
public final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TenantOption tenant;

    @Parameters(index = "0", paramLabel = "ID", description = "The document's id.")
    String id;

    @Option(names = "--json", description = "Print the API's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() {
        JsonObject document = VectorsyncCli.api(spec).get(tenant.path() + "/documents/" + Api.segment(id));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(document);
        } else {
            out.println("id:        " + Table.text(document, "documentId"));
            out.println("title:     " + Table.text(document, "title"));
            out.println("version:   " + Table.text(document, "version")
                    + (document.getBoolean("deleted", false) ? " (deleted)" : ""));
            out.println("embedding: " + Table.text(document, "embeddingStatus"));
            if (document.get("metadata") instanceof JsonObject metadata && !metadata.isEmpty()) {
                out.println("metadata:  " + metadata);
            }
            out.println();
            out.println(Table.text(document, "body"));
        }
        out.flush();
        return VectorsyncCli.OK;
    }
}
