package io.vectorsync.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentCipherTest {

    private static final byte[] OWNER = "acme/doc-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TEXT = "Jane Doe's ticket: the printer on floor 3".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatIsSealedOpensWithTheSameKeyAndOwnerOnly() {
        SecretKey key = ContentCipher.newKey();
        byte[] sealed = ContentCipher.seal(key, TEXT, OWNER);

        assertThat(sealed).hasSize(TEXT.length + ContentCipher.OVERHEAD);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Jane");
        assertThat(ContentCipher.open(key, sealed, OWNER)).isEqualTo(TEXT);
        assertThatThrownBy(() -> ContentCipher.open(ContentCipher.newKey(), sealed, OWNER))
                .isInstanceOf(ContentCipher.Unreadable.class).hasMessageContaining("does not authenticate");
        assertThatThrownBy(() -> ContentCipher.open(key, sealed, "acme/doc-2".getBytes(StandardCharsets.UTF_8)))
                .as("moved to another document").isInstanceOf(ContentCipher.Unreadable.class);
    }

    @Test
    void everyAlteredBitIsRefused() {
        SecretKey key = ContentCipher.newKey();
        byte[] sealed = ContentCipher.seal(key, TEXT, OWNER);
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            assertThatThrownBy(() -> ContentCipher.open(key, altered, OWNER)).as("bit 0 of byte " + i)
                    .isInstanceOf(ContentCipher.Unreadable.class);
        }
        assertThatThrownBy(() -> ContentCipher.open(key, Arrays.copyOf(sealed, 20), OWNER))
                .isInstanceOf(ContentCipher.Unreadable.class).hasMessageContaining("too short");
    }

    @Test
    void theSameTextSealsDifferentlyEachTime() {
        SecretKey key = ContentCipher.newKey();
        assertThat(ContentCipher.seal(key, TEXT, OWNER)).isNotEqualTo(ContentCipher.seal(key, TEXT, OWNER));
        assertThat(ContentCipher.seal(key, new byte[0], OWNER)).hasSize(ContentCipher.OVERHEAD);
    }

    @Test
    void aKeyedHashNeedsTheKey() {
        SecretKey key = ContentCipher.newKey();
        byte[] hash = ContentCipher.keyedHash(key, TEXT);

        assertThat(hash).hasSize(32).isEqualTo(ContentCipher.keyedHash(ContentCipher.key(key.getEncoded()), TEXT));
        assertThat(ContentCipher.keyedHash(ContentCipher.newKey(), TEXT)).as("another key").isNotEqualTo(hash);
        assertThat(ContentCipher.keyedHash(key, "Jane Doe".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(hash);
    }

    @Test
    void aKeyIsThirtyTwoBytes() {
        assertThatThrownBy(() -> ContentCipher.key(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThat(ContentCipher.newKey().getEncoded()).hasSize(32);
    }
}
