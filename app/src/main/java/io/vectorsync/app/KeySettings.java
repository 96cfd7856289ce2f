package io.vectorsync.app;

import java.nio.file.Path;

/**
 * Where the master key comes from (issue 21): {@code vectorsync.security.master-key} (32 bytes as base64 or 64 hex
 * digits) or {@code vectorsync.security.master-key-file}; with neither, the one the store generated on its first start
 * and keeps ({@code StoreMasterKey}). The key never appears in {@link #toString}. {@code sealContent} is always true from
 * configuration; only a benchmark's baseline turns it off (then an erasure leaves the log's copies readable).
 */
public record KeySettings(String masterKey, Path masterKeyFile, boolean sealContent) {

    public static final KeySettings GENERATED = new KeySettings(null, null, true);

    public KeySettings(String masterKey, Path masterKeyFile) {
        this(masterKey, masterKeyFile, true);
    }

    public KeySettings {
        if (masterKey != null && masterKey.isBlank()) {
            masterKey = null;
        }
    }

    @Override
    public String toString() {
        return masterKey != null ? "KeySettings[configured master key]"
                : masterKeyFile != null ? "KeySettings[master key file " + masterKeyFile + "]"
                : "KeySettings[the master key the store generated]";
    }
}
