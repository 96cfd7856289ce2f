package io.vectorsync.projections.hotcache;

import java.util.List;
import java.util.Objects;

/**
 * How the hot-vector cache reaches Hazelcast and how large it may grow.
 *
 * @param mode        {@code EMBEDDED}: a member of its own in this process, joining {@code members} when
 *                    any are listed, owning a share of the entries (and backups of others' when clustered);
 *                    {@code LITE}: a lite member of the cluster at {@code members} (it joins the cluster but owns
 *                    no entries: every read and write goes to the members that own them);
 *                    {@code CLIENT}: a client of the cluster at {@code members}
 * @param clusterName the Hazelcast cluster name
 * @param members     {@code host[:port]} of cluster members; multicast discovery is never used. For an embedded
 *                    member, listing any (itself may be among them) makes the cache a cluster: each entry then has
 *                    one synchronous backup on another member
 * @param bindAddress the interface a member (embedded or lite) listens on ({@code 127.0.0.1} keeps it local;
 *                    {@code 0.0.0.0}: every interface, announcing the first non-loopback address, as in a container)
 * @param port        the first port a member (embedded or lite) tries (it counts up when taken)
 * @param maxEntries  documents kept per space and member before the least recently used leave
 * @param maxMemoryMb heap a space's entries may take on a member; beyond it, new documents are not
 *                    cached (the index serves them once refreshed) until entries leave
 */
public record HotCacheSettings(
        Mode mode,
        String clusterName,
        List<String> members,
        String bindAddress,
        int port,
        int maxEntries,
        int maxMemoryMb) {

    public enum Mode { EMBEDDED, LITE, CLIENT }

    /** Listening on every interface, announcing the first non-loopback address. */
    public static final String ANY_ADDRESS = "0.0.0.0";

    public HotCacheSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(clusterName, "clusterName");
        members = List.copyOf(members);
        if (mode == Mode.CLIENT && members.isEmpty()) {
            throw new IllegalArgumentException("a Hazelcast client needs at least one member address");
        }
        if (mode == Mode.LITE && members.isEmpty()) {
            throw new IllegalArgumentException("a lite member owns no entries, so it needs the members that do:"
                    + " list at least one member address");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        if (maxMemoryMb < 1) {
            throw new IllegalArgumentException("maxMemoryMb must be at least 1");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
    }

    /** An embedded member on localhost, alone: the default. */
    public static HotCacheSettings embedded() {
        return new HotCacheSettings(Mode.EMBEDDED, "vectorsync", List.of(), "127.0.0.1", 5701, 10_000, 256);
    }

    /** Whether this process holds entries of the cache (an embedded member); a lite member or a client holds none. */
    public boolean ownsEntries() {
        return mode == Mode.EMBEDDED;
    }

    /** Whether the cache spans several processes: members are listed. */
    public boolean clustered() {
        return !members.isEmpty();
    }

    public HotCacheSettings withLimits(int entries, int memoryMb) {
        return new HotCacheSettings(mode, clusterName, members, bindAddress, port, entries, memoryMb);
    }
}
