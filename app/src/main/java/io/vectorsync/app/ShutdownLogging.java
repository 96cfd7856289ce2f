package io.vectorsync.app;

import java.util.logging.LogManager;

/**
 * Keeps logging alive while the app stops. The JDK's {@link LogManager} resets itself — closing every handler — from
 * a shutdown hook of its own, which runs beside the app's: whatever the app logged while it stopped after a SIGTERM
 * (its processors storing tokens, a failure while the store closes, "Vectorsync stopped") was lost. This manager
 * ignores that reset and resets when the app says it has stopped. Installed by {@link Main} through
 * {@code java.util.logging.manager} before anything logs.
 */
public final class ShutdownLogging extends LogManager {

    private static volatile boolean appStopped;

    @Override
    public void reset() {
        if (shuttingDown() && !appStopped) {
            return; // the JDK's own hook: the app resets once it has stopped
        }
        super.reset();
    }

    /** The app has stopped: logging may close now. */
    static void appStopped() {
        appStopped = true;
        if (LogManager.getLogManager() instanceof ShutdownLogging manager) {
            manager.reset();
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true; // hooks cannot be added once the JVM is shutting down
        }
    }
}
