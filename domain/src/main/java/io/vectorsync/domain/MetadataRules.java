package io.vectorsync.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What document metadata may hold — small, string-keyed values used for filtering: strings, numbers,
 * booleans and lists of strings — and its one normal form, so equal metadata compares equal whatever
 * types the caller used (a number is always a {@link BigDecimal} without trailing zeros).
 */
final class MetadataRules {

    public static final int MAX_KEYS = 64;
    public static final int MAX_STRING_LENGTH = 1_000;
    public static final int MAX_LIST_SIZE = 100;
    static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private MetadataRules() {
    }

    /**
     * Validates {@code metadata} and returns an unmodifiable, key-sorted copy in normal form; null gives
     * an empty map. Throws {@link InvalidInputException} naming {@code metadata} or {@code metadata.<key>}.
     */
    public static Map<String, Object> normalize(Map<String, ?> metadata) {
        if (metadata == null) {
            return Collections.unmodifiableMap(new TreeMap<>());
        }
        if (metadata.size() > MAX_KEYS) {
            throw new InvalidInputException("metadata", "must have at most " + MAX_KEYS + " keys");
        }
        TreeMap<String, Object> normalized = new TreeMap<>();
        for (Map.Entry<String, ?> entry : metadata.entrySet()) {
            String key = requireValidKey(entry.getKey());
            normalized.put(key, normalizeValue("metadata." + key, entry.getValue()));
        }
        return Collections.unmodifiableMap(normalized);
    }

    /** SHA-256 hex of a canonical JSON rendering of metadata already in normal form. */
    public static String hash(Map<String, Object> normalized) {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(normalized).forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, key).append(':');
            appendValue(json, value);
        });
        return ContentHash.sha256Hex(json.append('}').toString());
    }

    private static String requireValidKey(String key) {
        if (key == null) {
            throw new InvalidInputException("metadata", "keys must not be null");
        }
        if (!KEY.matcher(key).matches()) {
            String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
            throw new InvalidInputException("metadata", "key '" + shown
                    + "' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or '_'");
        }
        return key;
    }

    private static Object normalizeValue(String field, Object value) {
        return switch (value) {
            case null -> throw new InvalidInputException(field, "must not be null");
            case String text -> requireShortString(field, text);
            case Boolean flag -> flag;
            case Number number -> normalizeNumber(field, number);
            case List<?> list -> normalizeList(field, list);
            default -> throw new InvalidInputException(field, "must be a string, number, boolean or list of strings");
        };
    }

    private static String requireShortString(String field, String text) {
        if (text.length() > MAX_STRING_LENGTH) {
            throw new InvalidInputException(field, "must be at most " + MAX_STRING_LENGTH + " characters");
        }
        return text;
    }

    private static BigDecimal normalizeNumber(String field, Number number) {
        BigDecimal decimal;
        if (number instanceof BigDecimal exact) {
            decimal = exact;
        } else {
            if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
                throw new InvalidInputException(field, "must be a finite number");
            }
            try {
                decimal = new BigDecimal(number.toString());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(field, "must be a finite number");
            }
        }
        decimal = decimal.stripTrailingZeros();
        // 10 stays 10 rather than becoming 1E+1
        return decimal.scale() < 0 ? decimal.setScale(0) : decimal;
    }

    private static List<String> normalizeList(String field, List<?> list) {
        if (list.size() > MAX_LIST_SIZE) {
            throw new InvalidInputException(field, "must have at most " + MAX_LIST_SIZE + " entries");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String entryField = field + "[" + i + "]";
            switch (list.get(i)) {
                case null -> throw new InvalidInputException(entryField, "must not be null");
                case String text -> strings.add(requireShortString(entryField, text));
                default -> throw new InvalidInputException(entryField, "must be a string");
            }
        }
        return List.copyOf(strings);
    }

    private static void appendValue(StringBuilder json, Object value) {
        switch (value) {
            case String text -> appendString(json, text);
            case BigDecimal number -> json.append(number.toPlainString());
            case Boolean flag -> json.append(flag);
            case List<?> list -> {
                json.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    appendString(json, (String) list.get(i));
                }
                json.append(']');
            }
            default -> throw new IllegalArgumentException("metadata is not in normal form: " + value.getClass());
        }
    }

    private static StringBuilder appendString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        return json.append('"');
    }
}
