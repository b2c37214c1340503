package io.chainmesh.analytics.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

/** Bucket widths of the usage query. All buckets are aligned in UTC, so a day is always 24 hours. */
enum UsageInterval {

    MINUTE("minute", ChronoUnit.MINUTES), HOUR("hour", ChronoUnit.HOURS), DAY("day", ChronoUnit.DAYS);

    private final String wireName;
    private final ChronoUnit unit;

    UsageInterval(String wireName, ChronoUnit unit) {
        this.wireName = wireName;
        this.unit = unit;
    }

    static Optional<UsageInterval> fromWireName(String value) {
        return Arrays.stream(values()).filter(i -> i.wireName.equals(value)).findFirst();
    }

    /** As in the query string and in PostgreSQL's {@code date_trunc}. */
    String wireName() {
        return wireName;
    }

    Duration width() {
        return unit.getDuration();
    }

    Instant bucketStart(Instant instant) {
        return instant.truncatedTo(unit);
    }

    /** Number of buckets that overlap {@code [from, to)}. */
    long bucketsBetween(Instant from, Instant to) {
        long span = Duration.between(bucketStart(from), to).toMillis();
        long width = width().toMillis();
        return (span + width - 1) / width;
    }
}
