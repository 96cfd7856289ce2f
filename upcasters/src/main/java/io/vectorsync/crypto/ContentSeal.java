package io.vectorsync.crypto;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import javax.crypto.SecretKey;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Seals and opens the content of a stored event (crypto-shredding, issue 21), as the serializer writes and reads it.
 * <p>
 * A sealed event keeps in the clear what identifies and orders it — {@code tenant}, {@code documentId},
 * {@code contentRevision}, {@code space}, {@code dimension}, {@code provenance} — and moves every other field into
 * {@code "sealed": {"generation": g, "fields": [names], "data": base64}}: the fields as one JSON object, encrypted with
 * the document's data key of generation {@code g} ({@link ContentCipher}, bound to the tenant, document and
 * generation). Opening puts the fields back; with the key destroyed (the document erased) every sealed field comes
 * back as {@code null}, so the event still reads, without content. An event without the envelope (written before
 * sealing, or of a kind that carries no content) passes through as it is.
 */
public final class ContentSeal {

    public static final String SEALED = "sealed";
    private static final Set<String> CLEAR = Set.of("tenant", "documentId", "contentRevision", "space", "dimension",
            "provenance");

    private final ContentKeys keys;
    private final JsonProvider json;

    public ContentSeal(ContentKeys keys, JsonProvider json) {
        this.keys = keys;
        this.json = json;
    }

    /** The event with its content sealed under its document's current key. */
    public JsonObject seal(JsonObject event) {
        String tenant = event.getString("tenant");
        String documentId = event.getString("documentId");
        ContentKeys.DataKey key = keys.current(tenant, documentId);
        JsonObjectBuilder clear = json.createObjectBuilder();
        JsonObjectBuilder content = json.createObjectBuilder();
        JsonArrayBuilder names = json.createArrayBuilder();
        for (Map.Entry<String, JsonValue> field : event.entrySet()) {
            if (CLEAR.contains(field.getKey())) {
                clear.add(field.getKey(), field.getValue());
            } else {
                content.add(field.getKey(), field.getValue());
                names.add(field.getKey());
            }
        }
        byte[] sealed = ContentCipher.seal(key.key(), content.build().toString().getBytes(StandardCharsets.UTF_8),
                owner(tenant, documentId, key.generation()));
        return clear.add(SEALED, json.createObjectBuilder()
                .add("generation", key.generation())
                .add("fields", names)
                .add("data", Base64.getEncoder().encodeToString(sealed))).build();
    }

    /**
     * The event with its content back in place; every sealed field {@code null} when the key is destroyed. A sealed
     * envelope that does not authenticate (altered, or moved to another document) is an error.
     */
    public JsonObject open(JsonObject stored) {
        if (!(stored.get(SEALED) instanceof JsonObject sealed)) {
            return stored;
        }
        Unsealed unsealed = unseal(stored, sealed);
        if (unsealed.content() != null) {
            try (JsonReader reader = json.createReader(new StringReader(unsealed.content()))) {
                reader.readObject().forEach(unsealed.clear()::add);
            }
        }
        return unsealed.clear().build();
    }

    /**
     * {@link #open} as JSON text, for a reader that parses text anyway: the content's own text is spliced in after
     * the clear fields instead of being parsed into an object and printed again.
     */
    public String openToText(JsonObject stored) {
        if (!(stored.get(SEALED) instanceof JsonObject sealed)) {
            return stored.toString();
        }
        Unsealed unsealed = unseal(stored, sealed);
        String fields = unsealed.clear().build().toString();
        String content = unsealed.content();
        if (content == null || content.length() <= 2) { // erased, or {}
            return fields;
        }
        return fields.length() <= 2 ? content : fields.substring(0, fields.length() - 1) + "," + content.substring(1);
    }

    /** The clear fields (with the sealed ones as {@code null} when the key is gone) and the content's JSON text. */
    private record Unsealed(JsonObjectBuilder clear, String content) {
    }

    private Unsealed unseal(JsonObject stored, JsonObject sealed) {
        String tenant = stored.getString("tenant");
        String documentId = stored.getString("documentId");
        long generation = sealed.getJsonNumber("generation").longValueExact();
        JsonObjectBuilder clear = json.createObjectBuilder();
        stored.forEach((name, value) -> {
            if (!name.equals(SEALED)) {
                clear.add(name, value);
            }
        });
        Optional<SecretKey> key = keys.find(tenant, documentId, generation);
        if (key.isEmpty()) {
            for (JsonValue name : sealed.getJsonArray("fields")) {
                clear.add(((JsonString) name).getString(), JsonValue.NULL);
            }
            return new Unsealed(clear, null);
        }
        byte[] content = ContentCipher.open(key.get(), Base64.getDecoder().decode(sealed.getString("data")),
                owner(tenant, documentId, generation));
        return new Unsealed(clear, new String(content, StandardCharsets.UTF_8));
    }

    /** A cheap look before parsing: whether stored JSON may hold a sealed envelope. */
    public static boolean maybeSealed(String stored) {
        return stored.contains("\"" + SEALED + "\":{");
    }

    /** What a sealed content is bound to: its tenant, document and key generation. */
    private static byte[] owner(String tenant, String documentId, long generation) {
        return (tenant + '\u0000' + documentId + '\u0000' + generation).getBytes(StandardCharsets.UTF_8);
    }
}
