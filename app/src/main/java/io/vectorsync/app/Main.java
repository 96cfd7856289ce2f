package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.vectorsync.ui.access.RouteRecorder;

import java.net.InetAddress;
import java.net.UnknownHostException;

import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/** Starts Vectorsync with every role in one process: command API, encoder, projections, query API. */
public final class Main {

    static {
        // before the first logger: logging stays open until the app has stopped (see ShutdownLogging)
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownLogging.class.getName());
        }
    }

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Settings settings = Settings.from(Config.create());
        Running running = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.stop();
            } finally {
                ShutdownLogging.appStopped();
            }
        }, "vectorsync-shutdown"));
    }

    /** Starts the app and its web server; tests use this with a free port and a temporary data directory. */
    public static Running start(Settings settings) {
        Vectorsync app = Vectorsync.start(settings);
        try {
            String host = bindAddress(settings.host(), app.access().keysRequired());
            WebServerConfig.Builder builder = WebServer.builder();
            if (settings.server() != null) {
                builder.config(settings.server()); // TLS, limits, timeouts: Helidon's whole server node
            }
            AtomicReference<RouteRecorder> routes = new AtomicReference<>();
            WebServer server = builder
                    .host(host)
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
                    .routing(routing -> routes.set(HttpApi.routing(routing, app)))
                    // Prometheus text at /observe/metrics, behind the same filters (the front door)
                    .addFeature(app.telemetry().feature())
                    .build();
            // built: every service has laid out its routes, and each must have exactly one access rule
            routes.get().check(app.access().policy(), settings.node().roles().all());
            server.start();
            app.joinCluster(settings.node().advertisedAddress(server.hasTls(), host, server.port()));
            LOG.info(() -> "Vectorsync listening on " + (server.hasTls() ? "https" : "http") + "://" + host + ":"
                    + server.port()
                    + " (data in " + settings.dataDir() + ")");
            return new Running(app, server);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /**
     * Where to listen. Without any API key the server is open to whoever reaches it, so it listens on loopback only
     * and says so, and refuses to start on another address (as Redis's protected mode does); with keys it listens
     * where configured, every address by default.
     */
    static String bindAddress(String configured, boolean keysRequired) {
        if (configured == null) {
            if (keysRequired) {
                return "0.0.0.0";
            }
            LOG.warning("No API key is configured or stored: listening on 127.0.0.1 only, and serving every request "
                    + "without a key. Set vectorsync.security.admin.key (VECTORSYNC_SECURITY_ADMIN_KEY) to listen on "
                    + "other addresses.");
            return "127.0.0.1";
        }
        if (!keysRequired && !isLoopback(configured)) {
            throw new IllegalStateException("Refusing to listen on " + configured + " without an API key: anyone who "
                    + "reaches it could read and change every tenant and drop indexes. Set vectorsync.security.admin.key "
                    + "(environment VECTORSYNC_SECURITY_ADMIN_KEY) to a random secret of at least 32 characters, or "
                    + "listen on 127.0.0.1 (server.host).");
        }
        if (!keysRequired) {
            LOG.warning("No API key is configured or stored: serving every request on " + configured + " without a key");
        }
        return configured;
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("server.host: cannot resolve '" + host + "'", e);
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
