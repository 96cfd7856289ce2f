package io.vectorsync.store.keys;

import io.vectorsync.crypto.ContentCipher;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents' data keys on one node (the embedded store), in a small file of their own ({@code keys/keys.mv.db},
 * an H2 MVStore) rather than in the event store's database: neither database overwrites the space a deleted row
 * leaves, so a key deleted there would survive in free pages for an unknown time. Here {@link #shred} rewrites the
 * whole file with only the keys that remain and replaces the old one, so a destroyed key is gone from it.
 * <p>
 * Each key is wrapped by the {@link MasterKey} for its document and belongs to a generation: a document erased and
 * written again gets a new key of the next generation, so its old events never open with it. Generations outlive
 * their keys (they hold no secret). Changes reach the disk at {@link #flush}, which a write calls before its events
 * commit: a key is on disk before any event sealed with it.
 */
public final class KeyFile implements DataKeys {

    public static final String FILE = "keys/keys.mv.db";
    private static final char SEPARATOR = '\u0000';

    private final Path file;
    private final MasterKey master;
    private MVStore store; // guarded by this
    private MVMap<String, byte[]> keys; // "tenant\0document\0generation" → wrapped key; guarded by this
    private MVMap<String, Long> generations; // "tenant\0document" → its last generation; guarded by this
    private boolean dirty; // guarded by this
    /** Unwrapped keys recently used ("tenant\0document\0generation"), so a batch of events unwraps each key once. */
    private final Map<String, SecretKey> recent = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretKey> eldest) {
            return size() > RECENT_KEYS;
        }
    }; // guarded by this
    private static final int RECENT_KEYS = 4096;

    private KeyFile(Path file, MasterKey master) {
        this.file = file;
        this.master = master;
        open();
    }

    /** Opens (or creates) the key file under the data directory. */
    public static KeyFile open(Path dataDir, MasterKey master) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        return new KeyFile(file, master);
    }

    private void open() {
        MVStoreTool.compactCleanUp(file.toString()); // a shred cut short leaves its temporary files
        store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        keys = store.openMap("keys");
        generations = store.openMap("generations");
    }

    @Override
    public synchronized DataKey current(String tenant, String documentId) {
        String document = document(tenant, documentId);
        Long generation = generations.get(document);
        if (generation != null) {
            Optional<SecretKey> key = find(document, generation);
            if (key.isPresent()) {
                return new DataKey(generation, key.get());
            }
        }
        long next = generation == null ? 1 : generation + 1;
        SecretKey key = ContentCipher.newKey();
        keys.put(document + SEPARATOR + next, master.wrap(key, owner(document, next)));
        generations.put(document, next);
        recent.put(document + SEPARATOR + next, key);
        dirty = true;
        return new DataKey(next, key);
    }

    @Override
    public synchronized Optional<SecretKey> find(String tenant, String documentId, long generation) {
        return find(document(tenant, documentId), generation);
    }

    private Optional<SecretKey> find(String document, long generation) {
        String id = document + SEPARATOR + generation;
        SecretKey key = recent.get(id);
        if (key == null) {
            byte[] wrapped = keys.get(id);
            if (wrapped == null) {
                return Optional.empty();
            }
            key = master.unwrap(wrapped, owner(document, generation));
            recent.put(id, key);
        }
        return Optional.of(key);
    }

    @Override
    public synchronized void destroy(String tenant, String documentId) {
        String document = document(tenant, documentId);
        Long last = generations.get(document);
        for (long generation = 1; last != null && generation <= last; generation++) {
            recent.remove(document + SEPARATOR + generation);
            dirty |= keys.remove(document + SEPARATOR + generation) != null;
        }
    }

    @Override
    public synchronized int destroyTenant(String tenant) {
        String prefix = tenant + SEPARATOR;
        List<String> documents = new ArrayList<>();
        for (Map.Entry<String, Long> entry : generations.entrySet()) {
            if (entry.getKey().startsWith(prefix)) {
                documents.add(entry.getKey().substring(prefix.length()));
            }
        }
        int destroyed = 0;
        for (String document : documents) {
            boolean had = false;
            String key = prefix + document;
            for (long generation = 1; generation <= generations.get(key); generation++) {
                recent.remove(key + SEPARATOR + generation);
                had |= keys.remove(key + SEPARATOR + generation) != null;
            }
            destroyed += had ? 1 : 0;
            dirty |= had;
        }
        return destroyed;
    }

    /** Commits and forces what changed. */
    @Override
    public synchronized void flush() {
        if (dirty) {
            store.commit();
            store.sync();
            dirty = false;
        }
    }

    /**
     * Rewrites the file with only the keys that remain and replaces the old file with it: destroyed keys are gone
     * from the file (not merely marked free in it). Keys cannot be read or made meanwhile; it takes about as long as
     * copying the live keys.
     */
    @Override
    public synchronized void shred() {
        flush();
        store.close();
        String compacted = file + ".shred";
        try {
            MVStoreTool.compact(file.toString(), compacted, false);
            MVStoreTool.moveAtomicReplace(compacted, file.toString());
        } finally {
            open();
        }
    }

    /**
     * Every generation of every document's key in the file under {@code dataDir}, as stored (wrapped, or null when
     * destroyed), without the master key; nothing when there is no key file.
     */
    public static void exportWrapped(Path dataDir, java.util.function.Consumer<WrappedKey> sink) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            MVMap<String, byte[]> keys = store.openMap("keys");
            MVMap<String, Long> generations = store.openMap("generations");
            for (Map.Entry<String, Long> entry : generations.entrySet()) {
                int separator = entry.getKey().indexOf(SEPARATOR);
                String tenant = entry.getKey().substring(0, separator);
                String documentId = entry.getKey().substring(separator + 1);
                for (long generation = 1; generation <= entry.getValue(); generation++) {
                    sink.accept(new WrappedKey(tenant, documentId, generation,
                            keys.get(entry.getKey() + SEPARATOR + generation)));
                }
            }
        } finally {
            store.close();
        }
    }

    /** How many keys exist (for reports and tests). */
    public synchronized long size() {
        return keys.sizeAsLong();
    }

    /** The wrapped form of a key, as stored (for the tests that look for it in the file). */
    synchronized Optional<byte[]> wrapped(String tenant, String documentId, long generation) {
        return Optional.ofNullable(keys.get(document(tenant, documentId) + SEPARATOR + generation));
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        flush();
        store.close();
    }

    private static String document(String tenant, String documentId) {
        return tenant + SEPARATOR + documentId;
    }

    /** What a wrapped key is bound to: its document and generation. */
    private static byte[] owner(String document, long generation) {
        return (document + SEPARATOR + generation).getBytes(StandardCharsets.UTF_8);
    }
}
