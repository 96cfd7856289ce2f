package io.vectorsync.cli.ingest;

import io.vectorsync.cli.Progress;
import io.vectorsync.cli.ProgressOption;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.cli.documents.TenantOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code vectorsync ingest PATH… --tenant T}: files and folders into documents (see {@link DocumentFiles}), sent
 * through the batch API (see {@link BatchUpload}). Running it again over the same files writes nothing: the app
 * answers {@code unchanged} for a document whose title, body and metadata it already has.
 */
@Command(name = "ingest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Upserts files and folders (recursively) as documents through the batch API: .txt, .md, .html "
                        + "(its text), .json (one document object) and .ndjson/.jsonl (one per line).",
                "",
                "A file's id is its path relative to the folder given (a file given itself: its name), with / as : "
                        + "(guides/setup.md is guides:setup.md); its title the first heading (# in Markdown, <h1> or "
                        + "<title> in HTML), else its name. JSON documents carry the API's fields: documentId (or id), "
                        + "title, body (or text), metadata, source, vectors.",
                "",
                "Idempotent: documents the app already holds as they are are reported unchanged and not written again.",
                ""},
        footer = {"", "Exit codes: 0 every document written or unchanged, 1 some failed (each is named), 2 wrong usage."})
public final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files and folders to ingest.")
    List<Path> paths;

    @Mixin
    TenantOption tenant;

    @Option(names = {"-s", "--space"}, paramLabel = "SPACE",
            description = "The space of client vectors that name none (documents with \"vectors\"). Text is embedded "
                    + "by the app into every space whose model runs in the app; the API has no per-space choice.")
    String space;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "2",
            description = "Batches in flight at once, default ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--batch-size", paramLabel = "DOCS", defaultValue = "200",
            description = "Documents per batch (at most 4 MiB of NDJSON each), default ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin
    ProgressOption progressOption;

    /** Well under the app's smallest batch limit, so a batch is never refused as a whole for its size. */
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    @Override
    public Integer call() {
        if (concurrency < 1 || concurrency > 64) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be between 1 and 64, not " + concurrency);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be between 1 and 10000, not " + batchSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> skipped = new ArrayList<>();
        List<DocumentFiles.Input> inputs = DocumentFiles.find(paths, skipped);
        if (!skipped.isEmpty()) {
            err.println("vectorsync: skipped " + skipped.size() + " file(s) of other types: "
                    + skipped.stream().limit(5).map(Path::toString).collect(Collectors.joining(", "))
                    + (skipped.size() > 5 ? ", …" : ""));
            err.flush();
        }
        long total = inputs.stream().mapToLong(DocumentFiles::count).sum();
        long started = System.nanoTime();
        BatchUpload.Counts counts;
        try (Progress.Task task = progressOption.create(err).start("ingest", total, "docs");
             BatchUpload upload = new BatchUpload(VectorsyncCli.api(spec), tenant.path(), concurrency, task, err)) {
            List<SourceDocument> batch = new ArrayList<>();
            long bytes = 0;
            for (DocumentFiles.Input input : inputs) {
                for (DocumentFiles.Entry entry : DocumentFiles.read(input, space)) {
                    if (entry.document() == null) {
                        upload.failed(entry.origin(), entry.error());
                        continue;
                    }
                    long size = entry.document().batchLine().getBytes(StandardCharsets.UTF_8).length + 1L;
                    if (!batch.isEmpty() && (batch.size() >= batchSize || bytes + size > MAX_BATCH_BYTES)) {
                        upload.send(batch);
                        batch.clear();
                        bytes = 0;
                    }
                    batch.add(entry.document());
                    bytes += size;
                }
            }
            if (!batch.isEmpty()) {
                upload.send(batch);
            }
            counts = upload.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String written = counts.written().isEmpty() ? "" : counts.written().entrySet().stream()
                .map(e -> Progress.number(e.getValue()) + " " + e.getKey()).collect(Collectors.joining(", ", " (", ")"));
        out.println(Progress.number(counts.writtenTotal()) + " written" + written + ", "
                + Progress.number(counts.unchanged()) + " unchanged, " + Progress.number(counts.failed()) + " failed"
                + String.format(Locale.ROOT, " (tenant %s, %s files, %.1f s)", tenant.tenant(),
                Progress.number(inputs.size()), seconds));
        out.flush();
        return counts.failed() == 0 ? VectorsyncCli.OK : VectorsyncCli.FAILED;
    }
}
