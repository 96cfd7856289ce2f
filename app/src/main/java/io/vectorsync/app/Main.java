package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;

import java.util.logging.Logger;

/** Starts Vectorsync with every role in one process: command API, encoder, projections, query API. */
public final class Main {

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Settings settings = Settings.from(Config.create());
        Running running = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "vectorsync-shutdown"));
    }

    /** Starts the app and its web server; tests use this with a free port and a temporary data directory. */
    public static Running start(Settings settings) {
        Vectorsync app = Vectorsync.start(settings);
        try {
            WebServer server = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    // HTTP/1.1 only, with its limits spelled out. A second protocol (even HTTP/1.1 discovered
                    // again next to this one) makes Helidon sniff each connection's first bytes, and it drops a
                    // connection whose first read holds no line end within the limit without a word: a long path
                    // would get no 414
                    .protocolsDiscoverServices(false)
                    .addProtocol(Http1Config.builder()
                            .maxPrologueLength(TransportProblems.MAX_REQUEST_LINE_BYTES)
                            .maxHeadersSize(TransportProblems.MAX_HEADERS_BYTES)
                            .build())
                    // requests refused before routing are answered as problems too; their messages are Helidon's
                    // safe ones (which tell headers too large from other bad headers)
                    .errorHandling(errors -> errors.includeEntity(true))
                    .directHandlers(TransportProblems.handlers())
                    .routing(routing -> HttpApi.routing(routing, app))
                    .build()
                    .start();
            LOG.info(() -> "Vectorsync listening on http://" + settings.host() + ":" + server.port()
                    + " (data in " + settings.dataDir() + ")");
            return new Running(app, server);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** A started app: stopping closes the server first, then finishes in-flight work and closes the stores. */
    public record Running(Vectorsync app, WebServer server) {

        public int port() {
            return server.port();
        }

        public void stop() {
            try {
                app.stopping();
                server.stop();
            } finally {
                app.close();
                LOG.info("Vectorsync stopped");
            }
        }
    }
}
