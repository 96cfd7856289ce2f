package io.vectorsync.app;

import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/vectorsync}'s HTTP commands, run in-process against the real app with a bootstrap admin key: ingest of a
 * folder (and again: all unchanged), search, get, delete, admin processors/status/replay, rebuild --watch with its
 * swap and rollback, dead letters, keys, and the exit codes of a bad request, an unknown option, a wrong key and an
 * app that is not there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {

    static final String ADMIN_KEY = "cli-test-bootstrap-admin-key-0123456789";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path corpus;
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY).settings());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** What a command line did. */
    record Run(int code, String out, String err) {
        JsonObject json() {
            return Json.createReader(new StringReader(out)).readObject();
        }
    }

    /** Runs a command line with {@code --url} of the test app and the given key. */
    static Run cli(String key, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", app.baseUrl()));
        if (key != null) {
            all.addAll(List.of("--key", key));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VectorsyncCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static Run admin(String... args) {
        return cli(ADMIN_KEY, args);
    }

    @Test
    @Order(1)
    void ingestWritesAFolderOnceAndASecondRunReportsEveryDocumentUnchanged() throws IOException {
        write("welcome.md", "Intro line.\n\n# Resetting your password\n\nOpen settings, choose security and click "
                + "reset password. A link arrives by email.\n");
        write("notes/shipping.txt", "Parcels ship within two working days from our warehouse.");
        write("notes/page.html", "<html><head><title>Tab title</title></head><body><h1>Refund policy</h1>"
                + "<p>Refunds are paid back within 14 days &amp; without fees.</p></body></html>");
        write("extra/holiday.json", "{\"title\": \"Office holidays\", \"body\": \"The office is closed on public "
                + "holidays.\", \"metadata\": {\"team\": \"hr\"}}");
        write("extra/faq.ndjson", "{\"documentId\": \"faq-1\", \"title\": \"Opening hours\", \"body\": \"We are open "
                + "from nine to five.\", \"metadata\": {\"team\": \"support\"}}\n"
                + "{\"id\": \"faq-2\", \"title\": \"Parking\", \"text\": \"Visitors park behind the building.\"}\n");

        Run first = admin("ingest", corpus.toString(), "--tenant", "docs", "--concurrency", "2", "--batch-size", "2");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("6 written (6 created), 0 unchanged, 0 failed (tenant docs, 5 files, ");
        // plain lines off a terminal: the last one sums the task up
        assertThat(first.err()).contains("  ingest: 6 docs in ").doesNotContain("\u001b[");

        JsonObject page = admin("get", "notes:page.html", "--tenant", "docs", "--json").json();
        assertThat(page.getString("title")).isEqualTo("Refund policy");
        assertThat(page.getString("body")).isEqualTo("Refund policy\nRefunds are paid back within 14 days & without fees.");
        assertThat(page.getString("source")).isEqualTo("notes/page.html");
        assertThat(admin("get", "welcome.md", "--tenant", "docs", "--json").json().getString("title"))
                .isEqualTo("Resetting your password");
        assertThat(admin("get", "notes:shipping.txt", "--tenant", "docs", "--json").json().getString("title"))
                .isEqualTo("shipping.txt");
        JsonObject holiday = admin("get", "extra:holiday.json", "--tenant", "docs", "--json").json();
        assertThat(holiday.getJsonObject("metadata").getString("team")).isEqualTo("hr");
        assertThat(admin("get", "faq-2", "--tenant", "docs", "--json").json().getString("body"))
                .isEqualTo("Visitors park behind the building.");

        Run second = admin("ingest", corpus.toString(), "--tenant", "docs");
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).startsWith("0 written, 6 unchanged, 0 failed (tenant docs, 5 files, ");

        // a changed file is written again, the rest stay unchanged
        write("notes/shipping.txt", "Parcels ship within three working days from our warehouse.");
        Run third = admin("ingest", corpus.toString(), "--tenant", "docs", "--progress", "bar");
        assertThat(third.out()).startsWith("1 written (1 revised), 5 unchanged, 0 failed");
        // a bar redrawn in place, ending at every document with the rate
        assertThat(third.err()).startsWith("\r").contains("ingest", "6/6 docs", " docs/s").endsWith(System.lineSeparator());
    }

    @Test
    @Order(2)
    void searchFindsAnIngestedDocumentAsATableAndAsJson() {
        TestApp.await("the password document is searchable", Duration.ofSeconds(60), () -> admin("search",
                "how do I reset my password", "--tenant", "docs", "-k", "3").out().contains("welcome.md"));
        Run table = admin("search", "how do I reset my password", "--tenant", "docs", "-k", "3");
        assertThat(table.code()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).matches("RANK +SCORE +ID +TITLE / PASSAGE");
        assertThat(lines.get(1)).matches("1 +0\\.\\d{4} +welcome\\.md +Resetting your password — .*");
        assertThat(lines).hasSizeBetween(2, 4);

        Run json = admin("search", "opening hours", "--tenant", "docs", "--json", "--filter", "team=support",
                "--mode", "hybrid");
        assertThat(json.code()).as(json.toString()).isZero();
        JsonObject answer = json.json();
        assertThat(answer.getString("mode")).isEqualTo("hybrid");
        assertThat(answer.getJsonArray("hits").getValuesAs(JsonObject.class))
                .extracting(hit -> hit.getString("documentId")).containsExactly("faq-1");
    }

    @Test
    @Order(3)
    void getShowsADocumentAndDeleteRemovesIt() {
        Run get = admin("get", "faq-2", "--tenant", "docs");
        assertThat(get.code()).isZero();
        // version 2: created, then embedded
        assertThat(get.out()).contains("id:        faq-2", "title:     Parking", "version:   2",
                "embedding: embedded", "Visitors park behind the building.");

        Run delete = admin("delete", "faq-2", "--tenant", "docs", "--reason", "moved");
        assertThat(delete.code()).as(delete.toString()).isZero();
        assertThat(delete.out()).isEqualTo("faq-2: deleted (version 3)" + System.lineSeparator());
        assertThat(admin("get", "faq-2", "--tenant", "docs").out()).contains("version:   3 (deleted)");
        assertThat(admin("delete", "faq-2", "--tenant", "docs").out()).startsWith("faq-2: already_deleted");

        Run missing = admin("delete", "never-was", "--tenant", "docs");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("vectorsync: Not found: document 'never-was' of tenant 'docs' does not exist");

        Run erase = admin("delete", "faq-2", "--tenant", "docs", "--erase", "--wait");
        assertThat(erase.code()).as(erase.toString()).isZero();
        assertThat(erase.out()).isEqualTo("faq-2: erased (version 4); every copy is gone" + System.lineSeparator());
        Run gone = admin("get", "faq-2", "--tenant", "docs");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("erased");
        assertThat(admin("delete", "faq-2", "--tenant", "docs", "--wait").code()).as("--wait without --erase")
                .isEqualTo(2);
    }

    @Test
    @Order(4)
    void rebuildWatchFollowsTheVersionUntilItIsLiveAndRollbackSwapsBack() {
        Run rebuild = admin("admin", "rebuild", "tiny", "--auto-swap", "--watch", "--progress", "lines");
        assertThat(rebuild.code()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("space tiny: building version 2 (building, processor index-tiny-v2)",
                "space tiny: version 2 is live");
        assertThat(rebuild.err()).contains("  version 2: ");

        Run rollback = admin("admin", "rollback", "tiny");
        assertThat(rollback.code()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).isEqualTo("space tiny: version 1 is live" + System.lineSeparator());
        Run swap = admin("admin", "swap", "tiny", "2");
        assertThat(swap.code()).as(swap.toString()).isZero();
        assertThat(swap.out()).contains("version 2 is live");

        Run again = admin("admin", "rebuild", "tiny", "--watch", "--progress", "none", "--hnsw-m", "8");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("space tiny: version 3 has caught up (building); make it live with: "
                + "vectorsync admin swap tiny 3");

        Run drift = admin("admin", "drift", "default");
        assertThat(drift.code()).as(drift.toString()).isZero();
        assertThat(drift.out()).matches("space default: no drift, \\d+ in sync \\(checked up to position \\d+\\)\\R");
    }

    @Test
    @Order(5)
    void adminListsProcessorsReplaysOneAndReportsStatus() {
        Run processors = admin("admin", "processors");
        assertThat(processors.code()).isZero();
        assertThat(processors.out().lines().toList().getFirst()).matches("NAME +KIND +STATE +POSITION +LAG +SEGMENTS");
        assertThat(processors.out()).containsPattern("(?m)^vector-index +streaming +running +\\d+ +\\d+ +2$");

        Run replay = admin("admin", "replay", "vector-index");
        assertThat(replay.code()).as(replay.toString()).isZero();
        assertThat(replay.out()).startsWith("processor vector-index replays from the start of the log");
        TestApp.await("the replay is over", Duration.ofSeconds(60),
                () -> admin("admin", "processors").out().matches("(?s).*\\nvector-index +streaming +running.*"));

        Run status = admin("admin", "status");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).startsWith("ready: UP").contains("cluster: 1 node(s): test-node (all)", "processors: ");

        Run unknown = admin("admin", "replay", "no-such-processor");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("vectorsync: Not found: ").contains("no-such-processor");
    }

    @Test
    @Order(6)
    void deadLettersAreListedPerGroup() {
        Run list = admin("admin", "dlq", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.getFirst()).matches("GROUP +SEQUENCES +LETTERS");
        assertThat(lines).anyMatch(line -> line.matches("vector-index +0 +0"));

        Run json = admin("admin", "dlq", "list", "--json");
        assertThat(json.json().getJsonArray("groups")).hasSize(lines.size() - 1);

        Run redrive = admin("admin", "dlq", "redrive", "vector-index");
        assertThat(redrive.code()).as(redrive.toString()).isZero();
        assertThat(redrive.out()).isEqualTo("vector-index: 0 of 0 document(s) cleared, 0 letter(s) left"
                + System.lineSeparator());
    }

    @Test
    @Order(7)
    void keysAreCreatedListedUsedAndRevoked() {
        Run create = admin("keys", "create", "--role", "writer", "--tenant", "docs", "--tenant", "other", "--name", "ci-writer");
        assertThat(create.code()).as(create.toString()).isZero();
        List<String> lines = create.out().lines().toList();
        assertThat(lines.getFirst()).matches("created key \\S+ \\(ci-writer, writer, tenants docs,other\\); its secret, shown once:");
        String id = lines.getFirst().split(" ")[2];
        String secret = lines.get(1);
        assertThat(secret).startsWith("vs_");

        Run list = admin("keys", "list");
        assertThat(list.out()).containsPattern("(?m)^" + id + " +ci-writer +writer +docs,other +active");
        assertThat(list.out()).doesNotContain(secret);

        // the new key works for its tenants, and not for the admin API
        assertThat(cli(secret, "get", "welcome.md", "--tenant", "docs").code()).isZero();
        Run forbidden = cli(secret, "admin", "processors");
        assertThat(forbidden.code()).isEqualTo(1);
        assertThat(forbidden.err()).startsWith("vectorsync: Forbidden: ");

        Run revoke = admin("keys", "revoke", id);
        assertThat(revoke.code()).as(revoke.toString()).isZero();
        assertThat(admin("keys", "list").out()).containsPattern("(?m)^" + id + " +ci-writer +writer +docs,other +revoked");
        Run revoked = cli(secret, "get", "welcome.md", "--tenant", "docs");
        assertThat(revoked.code()).isEqualTo(1);
        assertThat(revoked.err()).startsWith("vectorsync: Unauthorized: ");
    }

    @Test
    @Order(8)
    void failuresExitWithOneAndTheProblemsDetailAndWrongUsageWithTwo() throws IOException {
        Run badRequest = admin("search", "anything", "--tenant", "docs", "-k", "500");
        assertThat(badRequest.code()).isEqualTo(1);
        assertThat(badRequest.out()).isEmpty();
        assertThat(badRequest.err()).startsWith("vectorsync: ").contains("k").endsWith(System.lineSeparator());
        assertThat(badRequest.err().lines()).hasSize(1);

        Run badTenant = admin("ingest", corpus.resolve("welcome.md").toString(), "--tenant", "Not_A_Tenant");
        assertThat(badTenant.code()).isEqualTo(1);
        assertThat(badTenant.err()).contains("vectorsync: ").contains("tenant");

        // documents the app refuses fail alone: the rest are written, each failure named, exit code 1
        write("broken/docs.ndjson", "{\"documentId\": \"ok-1\", \"body\": \"fine\"}\n"
                + "{\"documentId\": \"bad id!\", \"body\": \"x\"}\n{\"body\": \"no id\"}\n");
        Run partly = admin("ingest", corpus.resolve("broken").toString(), "--tenant", "docs");
        assertThat(partly.code()).as(partly.toString()).isEqualTo(1);
        assertThat(partly.out()).startsWith("1 written (1 created), 0 unchanged, 2 failed (tenant docs, 1 files, ");
        assertThat(partly.err()).contains("vectorsync: docs.ndjson:2 (bad id!): Invalid input: documentId: may contain only letters",
                "vectorsync: docs.ndjson:3: has no \"documentId\" (or \"id\")");

        Run unknownOption = admin("search", "anything", "--tenant", "docs", "--no-such-option");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--no-such-option'");
        assertThat(admin("search", "--tenant", "docs").code()).isEqualTo(2);

        Run wrongKey = cli("vs_0123456789abcdef_wrong", "admin", "processors");
        assertThat(wrongKey.code()).isEqualTo(1);
        assertThat(wrongKey.err()).startsWith("vectorsync: Unauthorized: ");
        Run noKey = cli(null, "keys", "list");
        assertThat(noKey.code()).isEqualTo(1);
        assertThat(noKey.err()).contains("Authorization: Bearer");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VectorsyncCli.run(new PrintWriter(out), new PrintWriter(err), "admin", "status",
                "--url", "http://localhost:" + closedPort);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vectorsync: cannot connect to Vectorsync at http://localhost:" + closedPort
                + " (connection refused): is it running? Set --url or VECTORSYNC_URL" + System.lineSeparator());

        Run completion = admin("completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F _complete_vectorsync", "ingest", "rebuild", "--tenant");
    }

    private static void write(String relative, String content) throws IOException {
        Path file = corpus.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
