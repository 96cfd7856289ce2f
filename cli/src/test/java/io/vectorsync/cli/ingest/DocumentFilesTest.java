package io.vectorsync.cli.ingest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFolderGivesOneDocumentPerFileWithIdsFromRelativePathsAndTitlesFromHeadings() throws IOException {
        write("intro.md", "Some words first.\n\n```\n# not a title (code)\n```\n# Getting started #\n\nInstall it.\n");
        write("guides/setup notes.txt", "Plain text\nwith two lines");
        write("guides/page.html", """
                <!DOCTYPE html><html><head><title>Page title</title><style>p { color: red }</style></head>
                <body><h1>The <em>real</em> heading</h1><script>var x = "<p>no</p>";</script>
                <p>Fish &amp; chips &lt;3&nbsp;&#8212; &#x41;BC</p><!-- hidden --><ul><li>one</li><li>two</li></ul></body></html>
                """);
        write("guides/untitled.html", "<html><head><title>Only a title</title></head><body>text</body></html>");
        write("data/one.json", "{\"title\": \"From JSON\", \"text\": \"json body\", \"metadata\": {\"lang\": \"en\"}}");
        write("data/many.ndjson", "{\"documentId\": \"n-1\", \"title\": \"First\", \"body\": \"one\"}\n\n"
                + "{\"id\": \"n-2\", \"body\": \"two\", \"source\": \"cms\"}\n{\"body\": \"no id\"}\nnot json\n");
        write(".git/config", "hidden");
        write("image.png", "not a document");

        List<Path> skipped = new ArrayList<>();
        List<DocumentFiles.Input> inputs = DocumentFiles.find(List.of(dir), skipped);
        assertThat(skipped).containsExactly(dir.resolve("image.png"));
        assertThat(inputs.stream().mapToLong(DocumentFiles::count).sum()).isEqualTo(9);

        List<DocumentFiles.Entry> entries = inputs.stream().flatMap(i -> DocumentFiles.read(i, null).stream()).toList();
        Map<String, SourceDocument> documents = entries.stream().filter(e -> e.document() != null)
                .map(DocumentFiles.Entry::document).collect(Collectors.toMap(SourceDocument::id, Function.identity()));
        assertThat(documents).containsOnlyKeys("intro.md", "guides:setup_notes.txt", "guides:page.html",
                "guides:untitled.html", "data:one.json", "n-1", "n-2");

        assertThat(documents.get("intro.md").title()).isEqualTo("Getting started");
        assertThat(documents.get("intro.md").body()).startsWith("Some words first.").contains("Install it.");
        assertThat(documents.get("guides:setup_notes.txt").title()).isEqualTo("setup notes.txt");
        assertThat(documents.get("guides:setup_notes.txt").fields().getString("source")).isEqualTo("guides/setup notes.txt");

        SourceDocument page = documents.get("guides:page.html");
        assertThat(page.title()).isEqualTo("The real heading");
        assertThat(page.body()).isEqualTo("The real heading\nFish & chips <3 \u2014 ABC\none\ntwo");
        assertThat(documents.get("guides:untitled.html").title()).isEqualTo("Only a title");
        assertThat(documents.get("guides:untitled.html").body()).isEqualTo("text");

        JsonObject json = documents.get("data:one.json").fields();
        assertThat(json.getString("title")).isEqualTo("From JSON");
        assertThat(json.getString("body")).isEqualTo("json body");
        assertThat(json.containsKey("text")).isFalse();
        assertThat(json.getJsonObject("metadata").getString("lang")).isEqualTo("en");

        assertThat(documents.get("n-1").title()).isEqualTo("First");
        assertThat(documents.get("n-1").fields().getString("source")).isEqualTo("data/many.ndjson:1");
        assertThat(documents.get("n-2").fields().getString("source")).isEqualTo("cms");
        assertThat(documents.get("n-2").batchLine()).startsWith("{").contains("\"op\":\"upsert\"", "\"documentId\":\"n-2\"")
                .doesNotContain("\"id\"");

        List<String> errors = entries.stream().filter(e -> e.document() == null).map(e -> e.origin() + " " + e.error()).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).isEqualTo("data/many.ndjson:4 has no \"documentId\" (or \"id\")");
        assertThat(errors.get(1)).startsWith("data/many.ndjson:5 is not valid JSON: ");
    }

    @Test
    void aFileGivenItselfIsNamedByItsFileNameAndASpaceIsGivenToVectorsWithoutOne() throws IOException {
        Path file = write("deep/folder/note.md", "no heading here");
        Path vectors = write("v.json", "{\"documentId\": \"v\", \"body\": \"b\", \"vectors\": {\"vector\": [1, 0]}}");
        List<DocumentFiles.Input> inputs = DocumentFiles.find(List.of(file, vectors), new ArrayList<>());

        SourceDocument note = DocumentFiles.read(inputs.get(0), "tiny").getFirst().document();
        assertThat(note.id()).isEqualTo("note.md");
        assertThat(note.title()).isEqualTo("note.md");
        SourceDocument withVectors = DocumentFiles.read(inputs.get(1), "tiny").getFirst().document();
        assertThat(withVectors.fields().getJsonObject("vectors").getString("space")).isEqualTo("tiny");
    }

    @Test
    void markdownTitlesAreTheFirstLevelOneHeading() {
        assertThat(DocumentFiles.markdownTitle("## Second level\n# First  \n")).hasValue("First");
        assertThat(DocumentFiles.markdownTitle("#hashtag, not a heading")).isEmpty();
        assertThat(Html.title("<H1 class=\"x\">\n  A &amp; B\n</H1>")).hasValue("A & B");
        assertThat(Html.text("<p>a</p>\n\n\n<p>b <b>c</b>\td</p>")).isEqualTo("a\nb c d");
    }

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
