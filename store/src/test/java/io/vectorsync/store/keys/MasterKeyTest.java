package io.vectorsync.store.keys;

import io.vectorsync.crypto.ContentCipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    private static final byte[] OWNER = "acme/doc-1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @Test
    void withoutConfigurationAKeyIsGeneratedOnceInTheDataDirectoryForItsOwnerOnly() throws Exception {
        MasterKey first = MasterKey.resolve(null, null, dataDir);
        Path file = dataDir.resolve(MasterKey.GENERATED);

        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.origin()).isEqualTo(file.toString());
        SecretKey dataKey = ContentCipher.newKey();
        byte[] wrapped = first.wrap(dataKey, OWNER);

        MasterKey again = MasterKey.resolve("", null, dataDir);
        assertThat(again.fingerprint()).as("the same key after a restart").isEqualTo(first.fingerprint());
        assertThat(again.unwrap(wrapped, OWNER).getEncoded()).isEqualTo(dataKey.getEncoded());
        assertThatThrownBy(() -> again.unwrap(wrapped, "acme/doc-2".getBytes(StandardCharsets.UTF_8)))
                .as("another document's").isInstanceOf(ContentCipher.Unreadable.class);
    }

    @Test
    void aConfiguredKeyIsBase64OrHexOfThirtyTwoBytesAndNothingIsWritten() throws Exception {
        byte[] raw = ContentCipher.newKey().getEncoded();
        MasterKey base64 = MasterKey.resolve(Base64.getEncoder().encodeToString(raw), null, dataDir);
        MasterKey hex = MasterKey.resolve(HexFormat.of().formatHex(raw), null, dataDir);
        Path file = Files.writeString(dataDir.resolve("master"), Base64.getEncoder().encodeToString(raw) + "\n");
        MasterKey fromFile = MasterKey.resolve(null, file, dataDir);

        assertThat(hex.fingerprint()).isEqualTo(base64.fingerprint()).isEqualTo(fromFile.fingerprint());
        assertThat(base64.origin()).isEqualTo("configuration");
        assertThat(dataDir.resolve(MasterKey.GENERATED)).doesNotExist();
        SecretKey dataKey = ContentCipher.newKey();
        assertThat(fromFile.unwrap(base64.wrap(dataKey, OWNER), OWNER).getEncoded()).isEqualTo(dataKey.getEncoded());
        assertThatThrownBy(() -> MasterKey.resolve(null, null, dataDir).unwrap(base64.wrap(dataKey, OWNER), OWNER))
                .as("another master key").isInstanceOf(ContentCipher.Unreadable.class);
    }

    @Test
    void aWrongKeyIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> MasterKey.resolve(Base64.getEncoder().encodeToString(new byte[16]), null, dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vectorsync.security.master-key").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKey.resolve("not a key!", null, dataDir))
                .hasMessageContaining("not base64 or hex");
        assertThatThrownBy(() -> MasterKey.resolve(null, dataDir.resolve("missing"), dataDir))
                .hasMessageContaining("cannot read the master key file");
    }
}
