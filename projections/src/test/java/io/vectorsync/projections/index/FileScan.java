package io.vectorsync.projections.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads every regular file under a directory whole and tells which of some byte strings are in which files: how the
 * erasure tests (issue 21) show that a deleted document's text and vector bytes are in no file, and that the scan
 * sees what is stored.
 */
public final class FileScan {

    private FileScan() {
    }

    /** Each needle found, with the files it is in. */
    public static Map<String, List<Path>> scan(Path root, Map<String, byte[]> needles) throws IOException {
        Map<String, List<Path>> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                needles.forEach((name, needle) -> {
                    if (indexOf(content, needle) >= 0) {
                        found.computeIfAbsent(name, key -> new ArrayList<>()).add(file);
                    }
                });
            }
        }
        return found;
    }

    /** The files under {@code root} that hold {@code needle}. */
    public static List<Path> filesHolding(Path root, byte[] needle) throws IOException {
        return scan(root, Map.of("needle", needle)).getOrDefault("needle", List.of());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
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
