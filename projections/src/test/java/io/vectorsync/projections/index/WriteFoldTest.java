package io.vectorsync.projections.index;

import io.vectorsync.projections.index.IndexWrite.ChangeMetadata;
import io.vectorsync.projections.index.IndexWrite.Delete;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.WriteFold.DocumentState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The version guard both adapters share, against an index simulated by two maps. */
class WriteFoldTest {

    private static final String TENANT = "acme";

    /** What the simulated index holds: each document's state, and the chunks of live ones. */
    private final Map<String, DocumentState> states = new HashMap<>();
    private final Map<String, ReplaceChunks> contents = new HashMap<>();
    private final List<String> statesRead = new ArrayList<>();
    private final List<String> contentsRead = new ArrayList<>();

    @Test
    void writesApplyInOrderAndOnlyChangedDocumentsComeBackInTheOrderFirstTouched() {
        holds(replace("held", 5, "old"));

        List<DocumentState> changed = fold(
                replace("b", 1, "b1"),
                replace("held", 4, "stale"), // not newer: skipped, so "held" is unchanged
                replace("a", 2, "a2"),
                replace("b", 3, "b3"),
                new ChangeMetadata(TENANT, "a", 4, Map.of("team", "ops")));

        assertThat(changed).extracting(DocumentState::documentId).containsExactly("b", "a");
        DocumentState b = changed.get(0);
        assertThat(b.version()).isEqualTo(3);
        assertThat(b.content().title()).isEqualTo("b3");
        DocumentState a = changed.get(1);
        assertThat(a.version()).isEqualTo(4);
        assertThat(a.content().title()).isEqualTo("a2"); // a later write sees the earlier one
        assertThat(a.content().metadata()).containsEntry("team", "ops");
        assertThat(a.content().version()).isEqualTo(4);
        assertThat(a.content().contentRevision()).isEqualTo(2);
        assertThat(statesRead).containsExactly("b", "held", "a"); // once per document, when first touched
        assertThat(contentsRead).isEmpty(); // the metadata change found the chunks in the batch
    }

    @Test
    void aWriteNotNewerThanTheStateIsSkippedTombstonesIncluded() {
        holds(replace("doc", 3, "three"));
        states.put("tomb", new DocumentState(TENANT, "tomb", 7, true, true));

        List<DocumentState> changed = fold(
                replace("doc", 3, "equal"),
                replace("doc", 2, "older"),
                new Delete(TENANT, "doc", 1),
                new ChangeMetadata(TENANT, "doc", 3, Map.of("x", "y")),
                replace("tomb", 6, "before the delete"),
                replace("tomb", 7, "at the delete"));

        assertThat(changed).isEmpty();
        assertThat(contentsRead).isEmpty();
    }

    @Test
    void duplicatesInOneBatchApplyOnce() {
        List<DocumentState> changed = fold(replace("doc", 2, "first"), replace("doc", 2, "again"),
                replace("doc", 1, "older"));

        assertThat(changed).singleElement().satisfies(doc -> {
            assertThat(doc.version()).isEqualTo(2);
            assertThat(doc.content().title()).isEqualTo("first");
        });
    }

    @Test
    void deleteThenRecreateInOneBatch() {
        holds(replace("doc", 1, "one"));

        DocumentState deleted = fold(new Delete(TENANT, "doc", 2)).getFirst();
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.content()).isNull();
        assertThat(deleted.version()).isEqualTo(2);

        DocumentState recreated = fold(new Delete(TENANT, "doc", 2), replace("doc", 3, "three")).getFirst();
        assertThat(recreated.deleted()).isFalse();
        assertThat(recreated.version()).isEqualTo(3);
        assertThat(recreated.content().title()).isEqualTo("three");
    }

    @Test
    void aMetadataChangeAfterADeleteInTheBatchLeavesNoChunksAndReadsNone() {
        holds(replace("doc", 1, "one"));

        DocumentState doc = fold(new Delete(TENANT, "doc", 2),
                new ChangeMetadata(TENANT, "doc", 3, Map.of("x", "y"))).getFirst();

        assertThat(doc.version()).isEqualTo(3);
        assertThat(doc.deleted()).isTrue(); // a metadata change restores nothing
        assertThat(doc.content()).isNull();
        assertThat(contentsRead).isEmpty();
    }

    @Test
    void aMetadataChangeOnChunksTheBatchDoesNotKnowReadsThemOnce() {
        holds(replace("doc", 2, "two"));

        DocumentState doc = fold(
                new ChangeMetadata(TENANT, "doc", 3, Map.of("v", "3")),
                new ChangeMetadata(TENANT, "doc", 4, Map.of("v", "4"))).getFirst();

        assertThat(contentsRead).containsExactly("doc");
        assertThat(doc.version()).isEqualTo(4);
        assertThat(doc.content().metadata()).isEqualTo(Map.of("v", "4"));
        assertThat(doc.content().version()).isEqualTo(4);
        assertThat(doc.content().title()).isEqualTo("two"); // title, chunks and revision stay
        assertThat(doc.content().contentRevision()).isEqualTo(2);
        assertThat(doc.content().chunks()).isEqualTo(contents.get("doc").chunks());
    }

    @Test
    void aMetadataChangeOnADocumentWithoutChunksKeepsItWithoutAndMovesItsVersion() {
        DocumentState unknown = fold(new ChangeMetadata(TENANT, "never", 1, Map.of("x", "y"))).getFirst();
        assertThat(unknown.version()).isEqualTo(1);
        assertThat(unknown.content()).isNull();
        assertThat(unknown.deleted()).isFalse();

        states.put("empty", new DocumentState(TENANT, "empty", 2, false, false)); // it may have chunks: ask
        DocumentState empty = fold(new ChangeMetadata(TENANT, "empty", 3, Map.of("x", "y"))).getFirst();
        assertThat(empty.content()).isNull();
        assertThat(contentsRead).containsExactly("empty"); // never for a document the index has not held
    }

    @Test
    void aReplaceNeedsNoChunksFromTheIndex() {
        holds(replace("doc", 1, "one"));

        DocumentState doc = fold(replace("doc", 2, "two"), new ChangeMetadata(TENANT, "doc", 3, Map.of())).getFirst();

        assertThat(doc.content().title()).isEqualTo("two");
        assertThat(contentsRead).isEmpty();
    }

    @Test
    void whatReadingThrowsComesThrough() {
        holds(replace("doc", 1, "one"));

        assertThatThrownBy(() -> WriteFold.changed(List.of(new ChangeMetadata(TENANT, "doc", 2, Map.of())),
                (tenant, documentId) -> states.get(documentId),
                document -> {
                    throw new IOException("disk gone");
                })).isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    /** The index holds the content at its version, live, chunks known only to the index. */
    private void holds(ReplaceChunks content) {
        states.put(content.documentId(), new DocumentState(TENANT, content.documentId(), content.version(), false, false));
        contents.put(content.documentId(), content);
    }

    private List<DocumentState> fold(IndexWrite... writes) {
        return WriteFold.changed(List.of(writes),
                (tenant, documentId) -> {
                    statesRead.add(documentId);
                    DocumentState held = states.get(documentId);
                    return held == null ? new DocumentState(tenant, documentId) : copy(held);
                },
                document -> {
                    contentsRead.add(document.documentId());
                    return contents.get(document.documentId());
                });
    }

    /** A fresh state per fold, as an adapter reads one from its index each time. */
    private static DocumentState copy(DocumentState held) {
        return new DocumentState(held.tenant(), held.documentId(), held.version(), held.deleted(), false);
    }

    private static ReplaceChunks replace(String documentId, long version, String title) {
        return new ReplaceChunks(TENANT, documentId, version, version, title, Map.of("lang", "en"),
                new Provenance("model", "chunker", 256, 32),
                List.of(new IndexChunk(0, "passage of " + title, 0, 10, TestVectors.unit(4, version))));
    }
}
