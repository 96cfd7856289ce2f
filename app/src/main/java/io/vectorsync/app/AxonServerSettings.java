package io.vectorsync.app;

import org.axonframework.axonserver.connector.AxonServerConfiguration;

import java.util.Arrays;
import java.util.List;

/**
 * Axon Server as the event store and the command router ({@code vectorsync.axonserver}): {@code servers} is a
 * comma-separated list of {@code host:port} (gRPC, 8124 unless said), {@code context} the Axon Server context,
 * {@code token} its access token, or null where it requires none. Off, the store holds the events too.
 */
public record AxonServerSettings(boolean enabled, String servers, String context, String token) {

    /** The name the nodes share in Axon Server: one application, each node an instance of it. */
    static final String COMPONENT_NAME = "vectorsync";
    public static final AxonServerSettings DISABLED = new AxonServerSettings(false, "localhost:8124", "default", null);

    public AxonServerSettings {
        servers = servers == null ? "" : servers.trim();
        context = context == null || context.isBlank() ? "default" : context.trim();
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (enabled) {
            List<String> list = addresses(servers);
            if (list.isEmpty()) {
                throw new IllegalArgumentException("vectorsync.axonserver.servers: name at least one host:port "
                        + "of Axon Server, e.g. localhost:8124");
            }
            for (String address : list) {
                requireAddress(address);
            }
        }
    }

    /** Enabled, at these servers ({@code host:port,…}), in this context, with this token (null: none). */
    public static AxonServerSettings at(String servers, String context, String token) {
        return new AxonServerSettings(true, servers, context, token);
    }

    /**
     * The connector's configuration, built here rather than from Spring properties: the servers, the context, the
     * token, and this node's id as its client id, so that Axon Server names each node as the token store does.
     */
    AxonServerConfiguration configuration(String nodeId) {
        AxonServerConfiguration.Builder builder = AxonServerConfiguration.builder()
                .servers(String.join(",", addresses(servers)))
                .context(context)
                .componentName(COMPONENT_NAME)
                .clientId(nodeId)
                // the connector's banner about downloading Axon Server when it cannot connect
                .suppressDownloadMessage();
        if (token != null) {
            builder.token(token);
        }
        return builder.build();
    }

    private static List<String> addresses(String servers) {
        return Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void requireAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon == 0 || address.contains("://")) {
            throw new IllegalArgumentException("vectorsync.axonserver.servers: '" + address + "' is not host:port");
        }
        if (colon > 0) {
            try {
                int port = Integer.parseInt(address.substring(colon + 1));
                if (port < 1 || port > 65_535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("vectorsync.axonserver.servers: '" + address + "' has no port "
                        + "number from 1 to 65535 after its colon", e);
            }
        }
    }
}
