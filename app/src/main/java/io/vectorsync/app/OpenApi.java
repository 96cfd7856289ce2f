package io.vectorsync.app;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Json;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /openapi}: the API's OpenAPI 3.1 document, written by hand ({@code openapi.yaml} beside this class). YAML
 * by default; JSON when {@code Accept} prefers it or with {@code ?format=json}. Both forms are made once.
 */
final class OpenApi implements HttpService {

    static final String RESOURCE = "openapi.yaml";
    private static final MediaType YAML = MediaTypes.create("application", "yaml");

    /** Read and converted once per process, when the first server registers it. */
    private static final class Document {
        static final byte[] YAML = read();
        static final byte[] JSON = Json.createObjectBuilder(parse(YAML)).build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the document now (once per process), so a broken one fails the start rather than a request. */
    OpenApi() {
        java.util.Objects.requireNonNull(Document.JSON);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::document);
    }

    private void document(ServerRequest req, ServerResponse res) {
        boolean asJson = switch (req.query().first("format").orElse("")) {
            case "json" -> true;
            case "yaml" -> false;
            case "" -> req.headers().bestAccepted(YAML, MediaTypes.APPLICATION_JSON)
                    .filter(MediaTypes.APPLICATION_JSON::equals).isPresent();
            default -> throw new InvalidInputException("format", "must be json or yaml");
        };
        res.header(HeaderNames.CONTENT_TYPE, asJson ? "application/json" : "application/yaml");
        res.header(HeaderNames.VARY, "Accept");
        res.send(asJson ? Document.JSON : Document.YAML);
    }

    /** The document as YAML's plain values (maps, lists, strings, numbers, booleans). */
    static Map<String, Object> parse(byte[] yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
    }

    static byte[] read() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
