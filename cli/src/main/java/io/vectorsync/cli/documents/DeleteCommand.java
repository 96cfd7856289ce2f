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

/**
 * {@code vectorsync delete ID --tenant T}: deletes a document (an upsert afterwards restores it); with
 * {@code --erase}, erases it (its content is forgotten everywhere, issue 21).
 */
@Command(name = "delete",
        mixinStandardHelpOptions = true,
        description = {"Deletes a document; it leaves searches, its history stays (an upsert restores it).",
                "With --erase, erases it instead: its content is gone from the log, every index and the disk "
                        + "(right to erasure); --wait answers once every copy is gone."})
public final class DeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TenantOption tenant;

    @Parameters(index = "0", paramLabel = "ID", description = "The document's id.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept with the delete in the history.")
    String reason;

    @Option(names = "--erase", description = "Erase the document instead of deleting it (no --reason).")
    boolean erase;

    @Option(names = "--wait", description = "With --erase: answer once every copy is gone (at most two minutes).")
    boolean waitForAll;

    @Override
    public Integer call() {
        if (waitForAll && !erase) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--wait goes with --erase");
        }
        if (erase && reason != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "an erasure records no --reason");
        }
        String query = erase ? "?erase=true" + (waitForAll ? "&wait=true" : "")
                : reason == null ? "" : "?reason=" + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8);
        JsonObject answer = VectorsyncCli.api(spec).delete(tenant.path() + "/documents/" + Api.segment(id) + query);
        spec.commandLine().getOut().println(Table.text(answer, "documentId") + ": " + Table.text(answer, "result")
                + " (version " + Table.text(answer, "version") + ")" + (!erase ? ""
                : answer.getBoolean("complete", false) ? "; every copy is gone"
                : "; its keys are destroyed, its other copies go within seconds"));
        spec.commandLine().getOut().flush();
        return VectorsyncCli.OK;
    }
}
