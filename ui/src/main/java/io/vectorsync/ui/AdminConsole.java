package io.vectorsync.ui;

import io.helidon.http.HeaderNames;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The admin console: a single page (HTML, CSS and plain JavaScript, no build step, nothing from outside) that
 * talks to the admin API and gets live status from {@code /v1/admin/stream}. Register it at {@code /admin}.
 * The assets are read from this module's classpath once; each answer carries an ETag, so a browser revalidates
 * cheaply, and a content security policy that lets the page load nothing from any other origin.
 */
public final class AdminConsole implements HttpService {

    static final List<String> ASSETS = List.of("index.html", "app.js", "api.js", "charts.js", "app.css", "favicon.svg");
    private static final String BASE = "/io/vectorsync/ui/admin/";
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Map<String, Asset> assets = new TreeMap<>();

    public AdminConsole() {
        for (String name : ASSETS) {
            assets.put(name, Asset.load(name));
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> send(req, res, assets.get("index.html")))
                .get("/{file}", (req, res) -> {
                    Asset asset = assets.get(req.path().pathParameters().get("file"));
                    if (asset == null) {
                        throw new NotFoundException("the admin console has no file '"
                                + req.path().pathParameters().get("file") + "'");
                    }
                    send(req, res, asset);
                });
    }

    private static void send(ServerRequest req, ServerResponse res, Asset asset) {
        res.header(HeaderNames.ETAG, asset.etag());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.create("Content-Security-Policy"), POLICY);
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        if (req.headers().contains(HeaderNames.IF_NONE_MATCH)
                && req.headers().get(HeaderNames.IF_NONE_MATCH).allValues().contains(asset.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        res.send(asset.bytes());
    }

    private record Asset(byte[] bytes, String contentType, String etag) {

        static Asset load(String name) {
            try (InputStream in = AdminConsole.class.getResourceAsStream(BASE + name)) {
                if (in == null) {
                    throw new IllegalStateException("the console asset " + BASE + name + " is not on the classpath");
                }
                byte[] bytes = in.readAllBytes();
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Asset(bytes, contentType(name),
                        "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String contentType(String name) {
            String charset = "; charset=" + StandardCharsets.UTF_8.name().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".html")) {
                return "text/html" + charset;
            }
            if (name.endsWith(".js")) {
                return "text/javascript" + charset;
            }
            if (name.endsWith(".css")) {
                return "text/css" + charset;
            }
            if (name.endsWith(".svg")) {
                return "image/svg+xml";
            }
            return "application/octet-stream";
        }
    }
}
