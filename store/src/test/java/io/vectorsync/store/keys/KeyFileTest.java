package io.vectorsync.store.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFileTest extends DataKeysContract {

    @TempDir
    Path dataDir;

    @Override
    protected DataKeys open() {
        return KeyFile.open(dataDir, MasterKey.resolve(null, null, dataDir));
    }

    @Override
    protected DataKeys reopen() {
        return open();
    }

    @Test
    void aShredLeavesNoDestroyedKeyInTheFileAndKeepsTheOthers() throws Exception {
        KeyFile file = (KeyFile) keys;
        List<byte[]> destroyed = new ArrayList<>();
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            file.current(i % 3 == 0 ? "globex" : "acme", "doc-" + i);
        }
        file.flush();
        for (int i = 0; i < 300; i++) {
            String tenant = i % 3 == 0 ? "globex" : "acme";
            byte[] wrapped = file.wrapped(tenant, "doc-" + i, 1).orElseThrow();
            (tenant.equals("globex") || i % 10 == 1 ? destroyed : kept).add(wrapped);
        }
        for (int i = 1; i < 300; i += 10) {
            file.destroy("acme", "doc-" + i);
        }
        assertThat(file.destroyTenant("globex")).isEqualTo(100);
        file.flush();
        assertThat(Bytes.countIn(List.of(file.file()), destroyed))
                .as("control: deleted, yet still in the file's old pages").isPositive();

        file.shred();

        assertThat(Bytes.countIn(List.of(file.file()), destroyed)).as("destroyed keys in the file after the shred")
                .isZero();
        assertThat(Bytes.countIn(List.of(file.file()), kept)).as("every kept key is in the file").isEqualTo(kept.size());
        assertThat(file.size()).isEqualTo(kept.size());
        assertThat(file.find("acme", "doc-2", 1)).as("readable after the shred").isPresent();
        assertThat(file.current("globex", "doc-0").generation()).isEqualTo(2);
        try (var files = Files.list(dataDir.resolve("keys"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("keys.mv.db", "master.key");
        }
    }
}
