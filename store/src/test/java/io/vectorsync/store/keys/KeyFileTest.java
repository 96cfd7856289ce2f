package io.vectorsync.store.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFileTest {

    @TempDir
    Path dataDir;

    @Test
    void aDocumentKeepsItsKeyAcrossRestartsAndGetsANewGenerationAfterItIsDestroyed() {
        MasterKey master = MasterKey.resolve(null, null, dataDir);
        byte[] first;
        try (KeyFile keys = KeyFile.open(dataDir, master)) {
            KeyFile.DataKey key = keys.current("acme", "doc-1");
            assertThat(key.generation()).isEqualTo(1);
            assertThat(keys.current("acme", "doc-1").key().getEncoded()).isEqualTo(key.key().getEncoded());
            assertThat(keys.current("acme", "doc-2").key().getEncoded()).isNotEqualTo(key.key().getEncoded());
            first = key.key().getEncoded();
        }
        try (KeyFile keys = KeyFile.open(dataDir, MasterKey.resolve(null, null, dataDir))) {
            assertThat(keys.find("acme", "doc-1", 1).orElseThrow().getEncoded()).as("after a restart").isEqualTo(first);

            keys.destroy("acme", "doc-1");
            assertThat(keys.find("acme", "doc-1", 1)).isEmpty();
            KeyFile.DataKey again = keys.current("acme", "doc-1");
            assertThat(again.generation()).as("written again: a new document").isEqualTo(2);
            assertThat(again.key().getEncoded()).isNotEqualTo(first);
            assertThat(keys.find("acme", "doc-1", 1)).as("the old events stay unreadable").isEmpty();
            assertThat(keys.find("acme", "doc-2", 1)).isPresent();
        }
    }

    @Test
    void aShredLeavesNoDestroyedKeyInTheFileAndKeepsTheOthers() throws Exception {
        MasterKey master = MasterKey.resolve(null, null, dataDir);
        try (KeyFile keys = KeyFile.open(dataDir, master)) {
            List<byte[]> destroyed = new ArrayList<>();
            List<byte[]> kept = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                keys.current(i % 3 == 0 ? "globex" : "acme", "doc-" + i);
            }
            keys.flush();
            for (int i = 0; i < 300; i++) {
                String tenant = i % 3 == 0 ? "globex" : "acme";
                byte[] wrapped = keys.wrapped(tenant, "doc-" + i, 1).orElseThrow();
                (tenant.equals("globex") || i % 10 == 1 ? destroyed : kept).add(wrapped);
            }
            for (int i = 1; i < 300; i += 10) {
                keys.destroy("acme", "doc-" + i);
            }
            assertThat(keys.destroyTenant("globex")).isEqualTo(100);
            keys.flush();
            assertThat(count(keys.file(), destroyed)).as("control: deleted, yet still in the file's old pages")
                    .isPositive();

            keys.shred();

            assertThat(count(keys.file(), destroyed)).as("destroyed keys in the file after the shred").isZero();
            assertThat(count(keys.file(), kept)).as("every kept key is in the file").isEqualTo(kept.size());
            assertThat(keys.size()).isEqualTo(kept.size());
            assertThat(keys.find("acme", "doc-2", 1)).as("readable after the shred").isPresent();
            assertThat(keys.current("globex", "doc-0").generation()).isEqualTo(2);
        }
        try (var files = Files.list(dataDir.resolve("keys"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("keys.mv.db", "master.key");
        }
    }

    /** How many of {@code needles} occur in the file's bytes. */
    private static long count(Path file, List<byte[]> needles) throws Exception {
        byte[] haystack = Files.readAllBytes(file);
        return needles.stream().filter(needle -> indexOf(haystack, needle) >= 0).count();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
