package io.vectorsync.command.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an NDJSON body one line at a time, never holding more than a line of at most {@code limit}
 * bytes; a longer line is reported (and skipped) rather than buffered.
 */
final class NdjsonLineReader {

    private final InputStream in;
    private final int limit;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int filled;
    private boolean tooLong;

    NdjsonLineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line without its terminator, or null at the end; check {@link #lastWasTooLong()}. */
    String next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        tooLong = false;
        boolean any = false;
        while (true) {
            if (position == filled) {
                filled = in.read(buffer);
                position = 0;
                if (filled <= 0) {
                    filled = 0;
                    return any ? finish(line) : null;
                }
            }
            any = true;
            int start = position;
            while (position < filled && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (!tooLong) {
                if (line.size() + length > limit) {
                    tooLong = true;
                    line.reset();
                } else {
                    line.write(buffer, start, length);
                }
            }
            if (position < filled) {
                position++; // the newline
                return finish(line);
            }
        }
    }

    boolean lastWasTooLong() {
        return tooLong;
    }

    private String finish(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
