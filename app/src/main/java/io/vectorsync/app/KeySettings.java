package io.vectorsync.app;

import java.nio.file.Path;

/**
 * Where the master key comes from (issue 21): {@code vectorsync.security.master-key} (32 bytes as base64 or 64 hex
 * digits) or {@code vectorsync.security.master-key-file}; with neither, {@code keys/master.key} in the data directory,
 * generated on first start. The key never appears in {@link #toString}.
 */
public record KeySettings(String masterKey, Path masterKeyFile) {

    public static final KeySettings GENERATED = new KeySettings(null, null);

    public KeySettings {
        if (masterKey != null && masterKey.isBlank()) {
            masterKey = null;
        }
    }

    @Override
    public String toString() {
        return masterKey != null ? "KeySettings[configured master key]"
                : masterKeyFile != null ? "KeySettings[master key file " + masterKeyFile + "]"
                : "KeySettings[generated master key in the data directory]";
    }
}
