package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void idsAreVersion7UniqueAndIncreasingInUnsignedByteOrder() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(UuidV7.next());
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertThat(Long.compareUnsigned(ids.get(i - 1).getMostSignificantBits(),
                    ids.get(i).getMostSignificantBits())).isNegative();
        }
        UUID id = ids.get(0);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(Math.abs(System.currentTimeMillis() - UuidV7.millis(id))).isLessThan(60_000);
    }

    @Test
    void millisRefusesOtherVersions() {
        assertThatThrownBy(() -> UuidV7.millis(UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a version-7 UUID");
    }
}
