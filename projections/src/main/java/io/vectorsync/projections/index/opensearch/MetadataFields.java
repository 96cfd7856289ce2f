package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.MetadataJson;
import io.vectorsync.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The filterable copy of a document's metadata: one object per value type ({@code metadata.keyword},
 * {@code metadata.number}, {@code metadata.boolean}), whose fields the dynamic templates map to
 * keyword, double and boolean. Separate objects per type, because OpenSearch fixes a field's type on
 * first use: a key holding a string in one document and a number in another must not share a field.
 * Key characters outside {@code [A-Za-z0-9_-]} are percent-encoded: a dot would otherwise open a
 * nested object, and "a" next to "a.b" could never be mapped.
 */
final class MetadataFields {

    private MetadataFields() {
    }

    static JsonObjectBuilder typed(Map<String, Object> metadata) {
        JsonObjectBuilder keywords = Json.createObjectBuilder();
        JsonObjectBuilder numbers = Json.createObjectBuilder();
        JsonObjectBuilder booleans = Json.createObjectBuilder();
        metadata.forEach((key, value) -> {
            String field = encode(key);
            switch (value) {
                case String text -> keywords.add(field, text);
                case List<?> items -> {
                    JsonArrayBuilder array = Json.createArrayBuilder();
                    items.forEach(item -> array.add((String) item));
                    keywords.add(field, array);
                }
                case Boolean flag -> booleans.add(field, flag);
                case Number number -> numbers.add(field, MetadataJson.decimal(number));
                default -> throw new IllegalArgumentException("unsupported metadata value for " + key);
            }
        });
        return Json.createObjectBuilder()
                .add(IndexFields.OpenSearch.TYPED_KEYWORD, keywords)
                .add(IndexFields.OpenSearch.TYPED_NUMBER, numbers)
                .add(IndexFields.OpenSearch.TYPED_BOOLEAN, booleans);
    }

    static String keywordField(String key) {
        return IndexFields.OpenSearch.METADATA_KEYWORD + '.' + encode(key);
    }

    static String numberField(String key) {
        return IndexFields.OpenSearch.METADATA_NUMBER + '.' + encode(key);
    }

    static String booleanField(String key) {
        return IndexFields.OpenSearch.METADATA_BOOLEAN + '.' + encode(key);
    }

    static String encode(String key) {
        StringBuilder field = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                field.append(c);
            } else {
                field.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return field.toString();
    }
}
