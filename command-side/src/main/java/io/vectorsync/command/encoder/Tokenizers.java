package io.vectorsync.command.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A model's tokenizer ships inside its jar; the token count estimator reads it from a file. */
final class Tokenizers {

    private Tokenizers() {
    }

    /** Copies the resource next to {@code anchor} to a temporary file, deleted when the JVM exits. */
    static Path extract(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar of " + anchor.getName());
            }
            Path file = Files.createTempFile("tokenizer", ".json");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the tokenizer " + resource, e);
        }
    }
}
