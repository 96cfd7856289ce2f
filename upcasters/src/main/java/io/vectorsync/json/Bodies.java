package io.vectorsync.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body without ever holding more than a set number of bytes. */
public final class Bodies {

    private Bodies() {
    }

    /**
     * The whole body as text; throws {@link PayloadTooLargeException} as soon as it passes the limit, and
     * {@link io.vectorsync.domain.InvalidInputException} when it is not well-formed UTF-8 ({@link StrictJsonReader#utf8}).
     */
    public static String readAll(InputStream in, long limit) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(chunk)) != -1) {
                total += n;
                if (total > limit) {
                    throw new PayloadTooLargeException(limit);
                }
                buffer.write(chunk, 0, n);
            }
            return StrictJsonReader.utf8(buffer.toByteArray(), buffer.size(), "body");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the request body", e);
        }
    }

    /**
     * The media types a JSON body may come as: {@code expected}, or {@code application/json} for any; JSON lines as
     * {@code application/jsonl} too. A body without a Content-Type is taken as {@code expected}.
     *
     * @param actual the request's media type without parameters ({@code text/plain}), or null when it has none
     * @throws UnsupportedMediaTypeException for any other media type
     */
    public static void requireMediaType(String actual, String expected) {
        if (actual != null && !actual.equals(expected) && !actual.equals("application/json")
                && !(expected.equals("application/x-ndjson") && actual.equals("application/jsonl"))) {
            throw new UnsupportedMediaTypeException(expected, actual);
        }
    }
}
