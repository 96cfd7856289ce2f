package io.vectorsync.app;

import java.time.Duration;

/**
 * This process among the others on the same store: its id ({@code vectorsync.node.id}, unique per process; the
 * token store records which node claims which segment), its roles ({@code vectorsync.node.roles}), and how long a
 * segment claim lasts without being extended ({@code vectorsync.processors.claim-timeout-ms}) before another node
 * may take the segment over.
 */
public record NodeSettings(String id, NodeRoles roles, Duration claimTimeout) {

    /** Axon's default claim timeout: a crashed projector's segments move after about this long. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(30);

    public NodeSettings {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("vectorsync.node.id must not be blank");
        }
        if (claimTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("vectorsync.processors.claim-timeout-ms must be at least 1000, got "
                    + claimTimeout.toMillis());
        }
    }

    /** {@code pid@host}: unique per process on a host, and says where to look for it. */
    static String defaultId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
