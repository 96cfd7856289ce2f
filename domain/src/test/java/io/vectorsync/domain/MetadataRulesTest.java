package io.vectorsync.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataRulesTest {

    @Test
    void nullIsEmpty() {
        assertThat(MetadataRules.normalize(null)).isEmpty();
    }

    @Test
    void keysAreSortedAndTheCopyIsUnmodifiable() {
        Map<String, Object> input = new HashMap<>(Map.of("zone", "eu", "author", "kim", "_kind", "faq"));

        Map<String, Object> normalized = MetadataRules.normalize(input);
        input.put("late", "addition");

        assertThat(normalized.keySet()).containsExactly("_kind", "author", "zone");
        assertThatThrownBy(() -> normalized.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void numbersBecomeBigDecimalsWithoutTrailingZeros() {
        Map<String, Object> normalized = MetadataRules.normalize(Map.of(
                "int", 10, "long", 1_000L, "double", 2.50d, "float", 0.1f,
                "decimal", new BigDecimal("3.1400"), "big", new BigInteger("12345678901234567890")));

        assertThat(normalized).containsExactlyInAnyOrderEntriesOf(Map.of(
                "int", new BigDecimal("10"), "long", new BigDecimal("1000"), "double", new BigDecimal("2.5"),
                "float", new BigDecimal("0.1"), "decimal", new BigDecimal("3.14"),
                "big", new BigDecimal("12345678901234567890")));
        assertThat(normalized.get("int")).hasToString("10");
    }

    @Test
    void equalValuesOfDifferentTypesNormalizeEqually() {
        assertThat(MetadataRules.normalize(Map.of("n", 10, "tags", List.of("a"))))
                .isEqualTo(MetadataRules.normalize(Map.of("n", new BigDecimal("10.000"), "tags", new ArrayList<>(List.of("a")))));
    }

    @Test
    void stringsBooleansAndListsOfStringsAreKept() {
        Map<String, Object> normalized = MetadataRules.normalize(Map.of(
                "lang", "en", "public", true, "tags", List.of("returns", "policy"), "empty", List.of()));

        assertThat(normalized).isEqualTo(Map.of(
                "lang", "en", "public", true, "tags", List.of("returns", "policy"), "empty", List.of()));
        assertThatThrownBy(() -> ((List<?>) normalized.get("tags")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void limitsAreInclusive() {
        Map<String, Object> largest = IntStream.range(0, MetadataRules.MAX_KEYS).boxed()
                .collect(Collectors.toMap(i -> "k" + i, i -> "v"));
        largest.put("k0", "s".repeat(MetadataRules.MAX_STRING_LENGTH));
        largest.put("k1", Arrays.asList(filled(MetadataRules.MAX_LIST_SIZE)));
        largest.put("K" + "x".repeat(63), true);
        largest.remove("k2");

        assertThat(MetadataRules.normalize(largest)).hasSize(MetadataRules.MAX_KEYS);
    }

    @Test
    void rejectsTooManyKeys() {
        Map<String, Object> tooMany = IntStream.range(0, MetadataRules.MAX_KEYS + 1).boxed()
                .collect(Collectors.toMap(i -> "k" + i, i -> "v"));

        assertRejected(tooMany, "metadata", "metadata: must have at most 64 keys");
    }

    @Test
    void rejectsMalformedKeys() {
        for (String key : List.of("", "1st", "has space", "a/b", "é", "k" + "x".repeat(64))) {
            assertThatThrownBy(() -> MetadataRules.normalize(Map.of(key, "v")))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.field()).isEqualTo("metadata"))
                    .hasMessageEndingWith("must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or '_'");
        }
    }

    @Test
    void rejectsANullKey() {
        Map<String, Object> withNullKey = new HashMap<>();
        withNullKey.put(null, "v");

        assertRejected(withNullKey, "metadata", "metadata: keys must not be null");
    }

    @Test
    void rejectsNullValues() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("lang", null);

        assertRejected(withNull, "metadata.lang", "metadata.lang: must not be null");
    }

    @Test
    void rejectsTooLongStrings() {
        assertRejected(Map.of("lang", "x".repeat(1_001)), "metadata.lang", "metadata.lang: must be at most 1000 characters");
    }

    @Test
    void rejectsNonFiniteNumbers() {
        assertRejected(Map.of("score", Double.NaN), "metadata.score", "metadata.score: must be a finite number");
        assertRejected(Map.of("score", Float.NEGATIVE_INFINITY), "metadata.score", "metadata.score: must be a finite number");
    }

    @Test
    void rejectsOtherTypes() {
        String message = "metadata.when: must be a string, number, boolean or list of strings";
        assertRejected(Map.of("when", java.time.Instant.EPOCH), "metadata.when", message);
        assertRejected(Map.of("when", Map.of("year", 2026)), "metadata.when", message);
    }

    @Test
    void rejectsTooLongLists() {
        assertRejected(Map.of("tags", Arrays.asList(filled(101))), "metadata.tags", "metadata.tags: must have at most 100 entries");
    }

    @Test
    void rejectsListsOfOtherThanStrings() {
        assertRejected(Map.of("tags", List.of("a", 2)), "metadata.tags[1]", "metadata.tags[1]: must be a string");
        assertRejected(Map.of("tags", Arrays.asList("a", null)), "metadata.tags[1]", "metadata.tags[1]: must not be null");
        assertRejected(Map.of("tags", List.of("x".repeat(1_001))), "metadata.tags[0]",
                "metadata.tags[0]: must be at most 1000 characters");
    }

    @Test
    void hashIsTheSameForEqualMetadataAndDiffersOtherwise() {
        String hash = MetadataRules.hash(MetadataRules.normalize(Map.of("n", 10, "tags", List.of("a", "b"))));

        assertThat(hash).hasSize(64)
                .isEqualTo(MetadataRules.hash(MetadataRules.normalize(Map.of("tags", List.of("a", "b"), "n", 10.0))))
                .isNotEqualTo(MetadataRules.hash(MetadataRules.normalize(Map.of("n", 10, "tags", List.of("a,b")))))
                .isNotEqualTo(MetadataRules.hash(MetadataRules.normalize(Map.of("n", "10", "tags", List.of("a", "b")))));
        assertThat(MetadataRules.hash(Map.of())).isEqualTo(ContentHash.sha256Hex("{}"));
    }

    private static String[] filled(int size) {
        String[] entries = new String[size];
        Arrays.fill(entries, "t");
        return entries;
    }

    private static void assertRejected(Map<String, ?> metadata, String field, String message) {
        assertThatThrownBy(() -> MetadataRules.normalize(metadata))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessage(message);
    }
}
