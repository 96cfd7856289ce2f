package io.vectorsync.projections.hotcache;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.MetadataJson;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hazelcast's Compact form of a {@link HotDocument}: named fields, so {@code tenant} can be indexed and
 * queried, and the chunks as parallel arrays with every vector in one {@code float32} array. Metadata
 * travels as its JSON (the same rules as the index: strings, numbers, booleans, lists of strings).
 */
final class HotDocumentSerializer implements CompactSerializer<HotDocument> {

    static final String TYPE_NAME = "vectorsync.HotDocument";

    @Override
    public HotDocument read(CompactReader reader) {
        int[] indexes = reader.readArrayOfInt32("chunkIndexes");
        int[] starts = reader.readArrayOfInt32("chunkStarts");
        int[] ends = reader.readArrayOfInt32("chunkEnds");
        String[] passages = reader.readArrayOfString("chunkPassages");
        float[] vectors = reader.readArrayOfFloat32("vectors");
        int dimension = reader.readInt32("dimension");
        List<IndexChunk> chunks = new ArrayList<>(indexes.length);
        for (int i = 0; i < indexes.length; i++) {
            chunks.add(new IndexChunk(indexes[i], passages[i], starts[i], ends[i],
                    Arrays.copyOfRange(vectors, i * dimension, (i + 1) * dimension)));
        }
        return new HotDocument(
                reader.readString("tenant"),
                reader.readString("documentId"),
                reader.readInt64("version"),
                reader.readBoolean("deleted"),
                reader.readInt64("contentRevision"),
                reader.readString("title"),
                MetadataJson.read(reader.readString("metadata")),
                chunks,
                reader.readInt64("cachedAtMillis"));
    }

    @Override
    public void write(CompactWriter writer, HotDocument document) {
        List<IndexChunk> chunks = document.chunks();
        int dimension = chunks.isEmpty() ? 0 : chunks.getFirst().vector().length;
        int[] indexes = new int[chunks.size()];
        int[] starts = new int[chunks.size()];
        int[] ends = new int[chunks.size()];
        String[] passages = new String[chunks.size()];
        float[] vectors = new float[chunks.size() * dimension];
        for (int i = 0; i < chunks.size(); i++) {
            IndexChunk chunk = chunks.get(i);
            if (chunk.vector().length != dimension) {
                throw new IllegalArgumentException("the chunks of " + document.key() + " differ in dimension");
            }
            indexes[i] = chunk.index();
            starts[i] = chunk.start();
            ends[i] = chunk.end();
            passages[i] = chunk.passage();
            System.arraycopy(chunk.vector(), 0, vectors, i * dimension, dimension);
        }
        writer.writeString("tenant", document.tenant());
        writer.writeString("documentId", document.documentId());
        writer.writeInt64("version", document.version());
        writer.writeBoolean("deleted", document.deleted());
        writer.writeInt64("contentRevision", document.contentRevision());
        writer.writeString("title", document.title());
        writer.writeString("metadata", MetadataJson.write(document.metadata()));
        writer.writeInt32("dimension", dimension);
        writer.writeArrayOfInt32("chunkIndexes", indexes);
        writer.writeArrayOfInt32("chunkStarts", starts);
        writer.writeArrayOfInt32("chunkEnds", ends);
        writer.writeArrayOfString("chunkPassages", passages);
        writer.writeArrayOfFloat32("vectors", vectors);
        writer.writeInt64("cachedAtMillis", document.cachedAtMillis());
    }

    @Override
    public String getTypeName() {
        return TYPE_NAME;
    }

    @Override
    public Class<HotDocument> getCompactClass() {
        return HotDocument.class;
    }
}
