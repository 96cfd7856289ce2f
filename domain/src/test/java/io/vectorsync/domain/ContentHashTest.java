package io.vectorsync.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashTest {

    @Test
    void isTheSha256OfTitleNulBody() {
        // printf 'T\0B' | sha256sum
        assertThat(ContentHash.of("T", "B"))
                .isEqualTo("566d8aaca867189e7231c749040e50e503a3ed71f2d496ce6a35a6fc0cf2b18e");
    }

    @Test
    void tellsTitleAndBodyApart() {
        assertThat(ContentHash.of("ab", "c")).isNotEqualTo(ContentHash.of("a", "bc"));
    }
}
