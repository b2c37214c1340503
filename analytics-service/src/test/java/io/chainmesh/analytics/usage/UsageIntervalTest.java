package io.chainmesh.analytics.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class UsageIntervalTest {

    @Test
    void bucketsCountEveryIntervalThatOverlapsTheRange() {
        Instant from = Instant.parse("2025-03-04T10:30:00Z");
        assertThat(UsageInterval.HOUR.bucketsBetween(from, Instant.parse("2025-03-04T12:00:00Z"))).isEqualTo(2);
        assertThat(UsageInterval.HOUR.bucketsBetween(from, Instant.parse("2025-03-04T12:00:01Z"))).isEqualTo(3);
        assertThat(UsageInterval.MINUTE.bucketsBetween(Instant.parse("2025-03-04T00:00:00Z"),
                Instant.parse("2025-03-05T00:00:00Z"))).isEqualTo(1440);
        assertThat(UsageInterval.DAY.bucketsBetween(from, from.plusSeconds(1))).isEqualTo(1);
    }

    @Test
    void onlyTheDocumentedIntervalNamesAreAccepted() {
        assertThat(UsageInterval.fromWireName("day")).contains(UsageInterval.DAY);
        assertThat(UsageInterval.fromWireName("DAY")).isEmpty();
        assertThat(UsageInterval.fromWireName("week")).isEmpty();
    }
}
