package io.vectorsync.store.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Looks for byte strings in files, byte for byte: what a shred must leave nowhere. */
final class Bytes {

    private Bytes() {
    }

    /** How many of {@code needles} occur in at least one of the files. */
    static long countIn(Collection<Path> files, List<byte[]> needles) {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files) {
            try {
                contents.add(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return needles.stream().filter(needle -> contents.stream().anyMatch(haystack -> indexOf(haystack, needle) >= 0))
                .count();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
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
