package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

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
