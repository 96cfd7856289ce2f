package io.vectorsync.store.keys;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every place that keeps data keys must do: the embedded key file and PostgreSQL's key table. */
abstract class DataKeysContract {

    protected DataKeys keys;

    /** A new, empty key store (its master key generated). */
    protected abstract DataKeys open();

    /** The same key store again, as after a restart. */
    protected abstract DataKeys reopen();

    @BeforeEach
    void openKeys() {
        keys = open();
    }

    @AfterEach
    void closeKeys() {
        keys.close();
    }

    @Test
    void aDocumentKeepsItsKeyAcrossRestartsAndOthersHaveTheirOwn() {
        DataKeys.DataKey key = keys.current("acme", "doc-1");
        assertThat(key.generation()).isEqualTo(1);
        assertThat(keys.current("acme", "doc-1").key().getEncoded()).isEqualTo(key.key().getEncoded());
        assertThat(keys.current("acme", "doc-2").key().getEncoded()).isNotEqualTo(key.key().getEncoded());
        assertThat(keys.current("globex", "doc-1").key().getEncoded()).as("another tenant's document")
                .isNotEqualTo(key.key().getEncoded());
        keys.flush();
        keys.close();

        keys = reopen();
        assertThat(keys.find("acme", "doc-1", 1).orElseThrow().getEncoded()).isEqualTo(key.key().getEncoded());
        assertThat(keys.find("acme", "doc-1", 2)).as("a generation never made").isEmpty();
        assertThat(keys.find("acme", "never-written", 1)).isEmpty();
    }

    @Test
    void aDestroyedDocumentWrittenAgainGetsANewGenerationAndItsOldKeyStaysGone() {
        byte[] first = keys.current("acme", "doc-1").key().getEncoded();
        keys.current("acme", "doc-2");

        keys.destroy("acme", "doc-1");
        assertThat(keys.find("acme", "doc-1", 1)).isEmpty();
        DataKeys.DataKey again = keys.current("acme", "doc-1");
        assertThat(again.generation()).isEqualTo(2);
        assertThat(again.key().getEncoded()).isNotEqualTo(first);
        assertThat(keys.find("acme", "doc-1", 1)).as("the old events stay unreadable").isEmpty();
        assertThat(keys.find("acme", "doc-2", 1)).as("the others are untouched").isPresent();
        keys.flush();
        keys.close();

        keys = reopen();
        assertThat(keys.find("acme", "doc-1", 1)).isEmpty();
        assertThat(keys.current("acme", "doc-1").generation()).isEqualTo(2);
    }

    @Test
    void aTenantsKeysGoTogetherAndOnlyTheirs() {
        for (int i = 0; i < 5; i++) {
            keys.current("acme", "doc-" + i);
            keys.current("globex", "doc-" + i);
        }
        keys.destroy("acme", "doc-0");

        assertThat(keys.destroyTenant("acme")).as("documents that still had a key").isEqualTo(4);
        assertThat(keys.destroyTenant("acme")).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(keys.find("acme", "doc-" + i, 1)).isEmpty();
            assertThat(keys.find("globex", "doc-" + i, 1)).isPresent();
        }
        keys.shred();
        assertThat(keys.find("globex", "doc-3", 1)).as("readable after a shred").isPresent();
        assertThat(keys.current("acme", "doc-3").generation()).isEqualTo(2);
    }
}
