package io.chainmesh.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When the next attempt of a failed delivery happens (Standard Webhooks' schedule, configurable): the delay of the next
 * step spread by a jitter, and never earlier than a {@code Retry-After} the receiver sent with 429 or 503.
 */
final class RetrySchedule {

    private final List<Duration> delays;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final RandomGenerator random;

    RetrySchedule(List<Duration> delays, double jitter, Duration maxRetryAfter, RandomGenerator random) {
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    /** How many attempts a delivery gets before it fails. */
    int attempts() {
        return delays.size();
    }

    /** Delay before the first attempt (normally zero). */
    Duration initialDelay() {
        return spread(delays.get(0));
    }

    /**
     * @param nextStep   index of the attempt to schedule (1 for the first retry)
     * @param retryAfter what the receiver asked for, if it did on 429/503
     * @return the delay, or empty when the schedule is exhausted
     */
    Optional<Duration> delayBefore(int nextStep, Optional<Duration> retryAfter) {
        if (nextStep >= delays.size()) {
            return Optional.empty();
        }
        Duration delay = spread(delays.get(nextStep));
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter.get();
            if (asked.compareTo(delay) > 0) {
                delay = asked;
            }
        }
        return Optional.of(delay);
    }

    private Duration spread(Duration d) {
        if (d.isZero() || jitter == 0) {
            return d;
        }
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos((long) (d.toNanos() * factor));
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); empty when absent or unreadable. */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
