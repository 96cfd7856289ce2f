package io.vectorsync.cli.keys;

import io.vectorsync.cli.Table;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.http.Api;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

/** {@code vectorsync keys …}: API keys (an admin key is needed for all of these). */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        description = "API keys: create, list and revoke (needs an admin key).")
public final class KeysCommand {

    /** A key's role. */
    public enum Role { ADMIN, WRITER, READER }

    @Spec
    CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a key; its secret is printed once, on the last line (store it now).")
    int create(@Option(names = "--role", required = true, paramLabel = "ROLE",
                       description = "admin, writer (read and write) or reader.") Role role,
               @Option(names = "--tenant", required = true, paramLabel = "TENANT",
                       description = "A tenant the key may use; repeat it for more, or * for every tenant.")
               List<String> tenants,
               @Option(names = "--name", paramLabel = "NAME", defaultValue = "vectorsync-cli",
                       description = "What the key is for, shown in lists and the audit log (default ${DEFAULT-VALUE}).")
               String name,
               @Option(names = "--expires-at", paramLabel = "INSTANT",
                       description = "When it stops working, ISO-8601 (e.g. 2027-01-31T00:00:00Z).") String expiresAt,
               @Option(names = "--rate", paramLabel = "PER_SECOND",
                       description = "Requests per second it may make.") Double rate) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("name", name)
                .add("role", role.name().toLowerCase(java.util.Locale.ROOT))
                .add("tenants", Json.createArrayBuilder(tenants));
        if (expiresAt != null) {
            body.add("expiresAt", expiresAt);
        }
        if (rate != null) {
            body.add("ratePerSecond", rate);
        }
        JsonObject key = VectorsyncCli.api(spec).post("/v1/admin/keys", body.build());
        PrintWriter out = spec.commandLine().getOut();
        out.println("created key " + Table.text(key, "id") + " (" + Table.text(key, "name") + ", "
                + Table.text(key, "role") + ", tenants " + Table.text(key, "tenants") + "); its secret, shown once:");
        out.println(Table.text(key, "key"));
        out.flush();
        return VectorsyncCli.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every key (never its secret).")
    int list(@Option(names = "--json", description = "Print the API's JSON answer as it is.") boolean json) {
        JsonObject answer = VectorsyncCli.api(spec).get("/v1/admin/keys");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(answer);
            out.flush();
            return VectorsyncCli.OK;
        }
        Table table = new Table("ID", "NAME", "ROLE", "TENANTS", "STATE", "LAST USED");
        for (JsonObject key : answer.getJsonArray("keys").getValuesAs(JsonObject.class)) {
            table.row(Table.text(key, "id"), Table.text(key, "name"), Table.text(key, "role"),
                    Table.text(key, "tenants"), key.getBoolean("revoked", false) ? "revoked"
                            : key.containsKey("expiresAt") && !key.isNull("expiresAt") ? "expires " + Table.text(key, "expiresAt")
                            : "active", Table.text(key, "lastUsedAt"));
        }
        table.print(out);
        return VectorsyncCli.OK;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a key: it stops working at once.")
    int revoke(@Parameters(paramLabel = "ID", description = "The key's id (keys list).") String id) {
        VectorsyncCli.api(spec).delete("/v1/admin/keys/" + Api.segment(id));
        spec.commandLine().getOut().println("revoked key " + id);
        spec.commandLine().getOut().flush();
        return VectorsyncCli.OK;
    }
}
