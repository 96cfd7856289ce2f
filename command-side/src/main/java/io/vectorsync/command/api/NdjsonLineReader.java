package io.vectorsync.command.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an NDJSON body one line at a time, never holding more than a line of at most {@code limit}
 * bytes; a longer line is reported (and skipped) rather than buffered. Lines are bytes: each is decoded on its own
 * ({@link io.vectorsync.json.StrictJsonReader#utf8}), so bad bytes fail only their line.
 */
final class NdjsonLineReader {

    private final InputStream in;
    private final int limit;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int filled;
    private boolean tooLong;
    private boolean unterminated;

    NdjsonLineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line without its terminator, or null at the end; check {@link #lastWasTooLong()}. */
    byte[] next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        tooLong = false;
        unterminated = false;
        boolean any = false;
        while (true) {
            if (position == filled) {
                filled = in.read(buffer);
                position = 0;
                if (filled <= 0) {
                    filled = 0;
                    unterminated = any;
                    return any ? line.toByteArray() : null;
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
                return line.toByteArray(); // a CR before the LF stays: JSON reads it as whitespace
            }
        }
    }

    /** Whether the last line ended with the body rather than a line feed (it may have been cut short). */
    boolean lastWasUnterminated() {
        return unterminated;
    }

    boolean lastWasTooLong() {
        return tooLong;
    }

    /** Whether a line holds nothing but JSON whitespace (an empty line, or one left by CRLF): it is skipped. */
    static boolean blank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
