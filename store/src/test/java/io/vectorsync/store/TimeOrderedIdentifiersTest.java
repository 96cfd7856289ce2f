package io.vectorsync.store;

import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdentifiersTest {

    @Test
    void axonUsesThemForEveryMessage() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifiers.class);
    }

    @Test
    void theyAreVersionSevenUuidsThatSortByTimeAndDoNotRepeat() throws Exception {
        TimeOrderedIdentifiers identifiers = new TimeOrderedIdentifiers();
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            earlier.add(identifiers.generateIdentifier());
        }
        Thread.sleep(2);
        String later = identifiers.generateIdentifier();
        for (String id : earlier) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).isLessThan(later); // as text too: that is how the index sorts them
            assertThat(uuid.getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(),
                    org.assertj.core.data.Offset.offset(60_000L));
        }
        List<String> many = new ArrayList<>(earlier);
        for (int i = 0; i < 100_000; i++) {
            many.add(identifiers.generateIdentifier());
        }
        assertThat(new HashSet<>(many)).hasSize(many.size());
    }
}
