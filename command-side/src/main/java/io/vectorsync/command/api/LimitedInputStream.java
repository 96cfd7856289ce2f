package io.vectorsync.command.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body read at most to a limit: past it, the stream ends as if the body did, and {@link #passedLimit()} says the
 * body had more. For a body sent without a length (chunked), where the limit can only be found while reading.
 */
final class LimitedInputStream extends FilterInputStream {

    private long left;
    private boolean passed;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.left = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (passed) {
            return -1;
        }
        if (left == 0) {
            // at the limit: one more byte tells a body that ends here from one that goes on
            if (in.read() != -1) {
                passed = true;
            }
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    boolean passedLimit() {
        return passed;
    }
}
