package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final List<Duration> SPEC = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    @Test
    void followsTheStandardWebhooksScheduleAndThenGivesUp() {
        RetrySchedule schedule = new RetrySchedule(SPEC, 0, Duration.ofDays(1), RandomGenerator.getDefault());
        assertThat(schedule.attempts()).isEqualTo(8);
        assertThat(schedule.initialDelay()).isZero();
        for (int step = 1; step < SPEC.size(); step++) {
            assertThat(schedule.delayBefore(step, Optional.empty())).contains(SPEC.get(step));
        }
        assertThat(schedule.delayBefore(8, Optional.empty())).isEmpty();
    }

    @Test
    void jitterSpreadsEachDelayWithinTheConfiguredFraction() {
        RetrySchedule schedule = new RetrySchedule(SPEC, 0.2, Duration.ofDays(1), RandomGenerator.getDefault());
        for (int i = 0; i < 200; i++) {
            Duration d = schedule.delayBefore(2, Optional.empty()).orElseThrow();
            assertThat(d).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
        }
    }

    @Test
    void aLongerRetryAfterWinsAndIsCapped() {
        RetrySchedule schedule = new RetrySchedule(SPEC, 0, Duration.ofHours(1), RandomGenerator.getDefault());
        assertThat(schedule.delayBefore(1, Optional.of(Duration.ofSeconds(30)))).contains(Duration.ofSeconds(30));
        assertThat(schedule.delayBefore(2, Optional.of(Duration.ofSeconds(30)))).contains(Duration.ofMinutes(5));
        assertThat(schedule.delayBefore(1, Optional.of(Duration.ofDays(3)))).contains(Duration.ofHours(1));
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(RetrySchedule.parseRetryAfter("120", now)).contains(Duration.ofMinutes(2));
        assertThat(RetrySchedule.parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).contains(Duration.ofMinutes(1));
        assertThat(RetrySchedule.parseRetryAfter("soon", now)).isEmpty();
        assertThat(RetrySchedule.parseRetryAfter(null, now)).isEmpty();
    }
}
