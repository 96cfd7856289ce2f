package io.vectorsync.app;

import java.time.Duration;

/**
 * This process among the others on the same store: its id ({@code vectorsync.node.id}, unique per process; the
 * token store records which node claims which segment), its roles ({@code vectorsync.node.roles}), and how long a
 * segment claim lasts without being extended ({@code vectorsync.processors.claim-timeout-ms}) before another node
 * may take the segment over, and the URL other nodes reach it at ({@code vectorsync.node.address}; by default the
 * server's scheme, host and port, with the host's name when it listens on every address): what the cluster table
 * records, and where an admin node without the projector role sends the requests only a projector can answer.
 */
public record NodeSettings(String id, NodeRoles roles, Duration claimTimeout, java.util.Optional<java.net.URI> address) {

    /** Axon's default claim timeout: a crashed projector's segments move after about this long. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(30);

    public NodeSettings {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("vectorsync.node.id must not be blank");
        }
        address.ifPresent(uri -> {
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new IllegalArgumentException("vectorsync.node.address must be an http(s) URL of scheme, host and "
                        + "port, such as http://projector-1:8080; got '" + uri + "'");
            }
        });
        if (claimTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("vectorsync.processors.claim-timeout-ms must be at least 1000, got "
                    + claimTimeout.toMillis());
        }
    }

    /**
     * The URL other nodes reach this one at: {@code vectorsync.node.address}, else the server's own, with this host's
     * name in place of an address that means every interface.
     */
    String advertisedAddress(boolean tls, String host, int port) {
        if (address.isPresent()) {
            return address.get().toString().replaceAll("/$", "");
        }
        String reachable = host;
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            try {
                reachable = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                reachable = "localhost";
            }
        }
        return (tls ? "https" : "http") + "://" + reachable + ":" + port;
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
