package io.vectorsync.command.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A body read to a limit: it ends there, and says whether there was more. */
class LimitedInputStreamTest {

    @Test
    void aBodyWithinTheLimitIsReadWhole() throws IOException {
        LimitedInputStream in = limited("hello", 10);

        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(in.passedLimit()).isFalse();
    }

    @Test
    void aBodyOfExactlyTheLimitHasNotPassedIt() throws IOException {
        LimitedInputStream in = limited("hello", 5);

        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(in.passedLimit()).isFalse();
    }

    @Test
    void aLongerBodyEndsAtTheLimitAndSaysSo() throws IOException {
        LimitedInputStream in = limited("hello world", 5);

        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(in.passedLimit()).isTrue();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    }

    @Test
    void singleBytesCountToo() throws IOException {
        LimitedInputStream in = limited("abc", 2);

        assertThat(in.read()).isEqualTo('a');
        assertThat(in.read()).isEqualTo('b');
        assertThat(in.passedLimit()).isFalse();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.passedLimit()).isTrue();
    }

    @Test
    void aByteAbove127IsNotTakenForTheEnd() throws IOException {
        LimitedInputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[] {(byte) 0xff, 1}), 2);

        assertThat(in.read()).isEqualTo(0xff);
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.passedLimit()).isFalse();
    }

    private static LimitedInputStream limited(String body, long limit) {
        return new LimitedInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), limit);
    }
}
