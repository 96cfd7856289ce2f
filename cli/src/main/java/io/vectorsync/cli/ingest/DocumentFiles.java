package io.vectorsync.cli.ingest;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.http.Api;
import io.vectorsync.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files into documents. A folder is read recursively (hidden files and folders skipped); its files' ids are their
 * paths relative to it, a single file's id its name, with {@code /} written as {@code :} and any character a
 * document id cannot hold as {@code _}. Text and Markdown are sent as they are, HTML as its text; the title is the
 * first heading ({@code # } in Markdown, {@code <h1>} or else {@code <title>} in HTML), else the file name. A
 * {@code .json} file is one document object and an NDJSON file ({@code .ndjson}, {@code .jsonl}) one per line, with
 * the API's fields: {@code documentId} (or {@code id}), {@code title}, {@code body} (or {@code text}),
 * {@code metadata}, {@code source}, {@code vectors}. The relative path is each document's {@code source} unless
 * it has its own.
 */
final class DocumentFiles {

    private static final Set<String> TEXT = Set.of("txt", "text", "md", "markdown", "html", "htm");
    private static final Set<String> JSON = Set.of("json");
    private static final Set<String> NDJSON = Set.of("ndjson", "jsonl");
    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#[ \\t]+(.+?)(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern NOT_IN_ID = Pattern.compile("[^A-Za-z0-9._~:@-]");

    private DocumentFiles() {
    }

    /** A file to read, with the path relative to the folder it was found in (its name when given itself). */
    record Input(Path file, String relative) {

        String extension() {
            return DocumentFiles.extension(file);
        }

        boolean ndjson() {
            return NDJSON.contains(extension());
        }
    }

    /** A document read, or why a file (or an NDJSON line) gave none. */
    record Entry(SourceDocument document, String origin, String error) {

        static Entry failed(String origin, String error) {
            return new Entry(null, origin, error);
        }
    }

    /** The files the paths name, in order; {@code skipped} gets the ones of other types. */
    static List<Input> find(List<Path> paths, List<Path> skipped) {
        List<Input> inputs = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile)
                            .filter(file -> !hidden(path.relativize(file)))
                            .sorted(Comparator.comparing(file -> path.relativize(file).toString()))
                            .forEach(file -> add(inputs, skipped, file, relative(path.relativize(file))));
                } catch (IOException | UncheckedIOException e) {
                    throw new Failure("cannot read the folder " + path + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(path)) {
                add(inputs, skipped, path, path.getFileName().toString());
            } else {
                throw new Failure("no such file or folder: " + path);
            }
        }
        return inputs;
    }

    private static void add(List<Input> inputs, List<Path> skipped, Path file, String relative) {
        String extension = extension(file);
        if (TEXT.contains(extension) || JSON.contains(extension) || NDJSON.contains(extension)) {
            inputs.add(new Input(file, relative));
        } else {
            skipped.add(file);
        }
    }

    /** How many documents a file should give: its non-blank lines for NDJSON, else one. */
    static long count(Input input) {
        if (!input.ndjson()) {
            return 1;
        }
        try (Stream<String> lines = Files.lines(input.file(), StandardCharsets.UTF_8)) {
            return lines.filter(line -> !line.isBlank()).count();
        } catch (IOException | UncheckedIOException e) {
            return 1; // reading it for real will tell
        }
    }

    /**
     * The documents of a file. {@code space} is given to client vectors that name no space (text is embedded by the
     * app into every space that embeds in process).
     */
    static List<Entry> read(Input input, String space) {
        String origin = input.relative();
        try {
            if (input.ndjson()) {
                return ndjson(input, space);
            }
            String content = new String(Files.readAllBytes(input.file()), StandardCharsets.UTF_8);
            if (JSON.contains(input.extension())) {
                return List.of(json(content, input, origin, space));
            }
            return List.of(new Entry(text(input, content), origin, null));
        } catch (IOException e) {
            return List.of(Entry.failed(origin, "cannot read it: " + e.getMessage()));
        }
    }

    /** A text, Markdown or HTML file as its document. */
    static SourceDocument text(Input input, String content) {
        String extension = input.extension();
        boolean html = extension.startsWith("htm");
        String title = (html ? Html.title(content)
                : extension.startsWith("m") ? markdownTitle(content) : Optional.<String>empty())
                .orElse(input.file().getFileName().toString());
        String body = html ? Html.text(content) : content;
        JsonObject fields = Json.createObjectBuilder().add("title", title).add("body", body)
                .add("source", input.relative()).build();
        return new SourceDocument(id(input.relative()), fields, input.relative());
    }

    /** The text of the first {@code # } heading outside code fences. */
    static Optional<String> markdownTitle(String markdown) {
        boolean fenced = false;
        for (String line : markdown.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = MARKDOWN_HEADING.matcher(line);
            if (!fenced && heading.matches() && !heading.group(1).isBlank()) {
                return Optional.of(heading.group(1).strip());
            }
        }
        return Optional.empty();
    }

    private static List<Entry> ndjson(Input input, String space) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(input.file(), StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    entries.add(json(line, input, input.relative() + ":" + number, space));
                }
            }
        }
        return entries;
    }

    /** One document object; without an id of its own, a {@code .json} file's id is its path. */
    private static Entry json(String text, Input input, String origin, String space) {
        JsonObject object;
        try {
            JsonValue value = Json.createReader(new java.io.StringReader(text)).readValue();
            if (!(value instanceof JsonObject o)) {
                return Entry.failed(origin, "is not a JSON object" + (value.getValueType() == JsonValue.ValueType.ARRAY
                        ? " (for many documents use NDJSON: one object per line, in a .ndjson file)" : ""));
            }
            object = o;
        } catch (JsonException e) {
            return Entry.failed(origin, "is not valid JSON: " + Api.abbreviate(String.valueOf(e.getMessage()), 160));
        }
        String id = string(object, "documentId", "id");
        if (id == null && input.ndjson()) {
            return Entry.failed(origin, "has no \"documentId\" (or \"id\")");
        }
        JsonObjectBuilder fields = Json.createObjectBuilder(object);
        fields.remove("documentId");
        fields.remove("id");
        fields.remove("op");
        if (!object.containsKey("body") && object.get("text") instanceof JsonString body) {
            fields.remove("text");
            fields.add("body", body);
        }
        if (!object.containsKey("source")) {
            fields.add("source", origin);
        }
        if (space != null && object.get("vectors") instanceof JsonObject vectors && !vectors.containsKey("space")) {
            fields.add("vectors", Json.createObjectBuilder(vectors).add("space", space));
        }
        return new Entry(new SourceDocument(id != null ? id : id(input.relative()), fields.build(), origin), origin, null);
    }

    private static String string(JsonObject object, String... names) {
        for (String name : names) {
            if (object.get(name) instanceof JsonString value) {
                return value.getString();
            }
        }
        return null;
    }

    /** A relative path as a document id: {@code guides/setup.md} is {@code guides:setup.md}. */
    static String id(String relative) {
        return NOT_IN_ID.matcher(relative.replace('/', ':')).replaceAll("_");
    }

    private static String relative(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
