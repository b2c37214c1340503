package io.chainmesh.analytics.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.chainmesh.common.events.EventEnvelope;

/**
 * The measurable part of a {@code usage.recorded} event (brief, "Usage event"): what the aggregates add up.
 * Route, path and key id are not aggregated yet.
 */
record UsageRecorded(String eventId, UUID tenantId, Instant minute, int status, double latencyMs, long requestBytes,
        long responseBytes, long computeUnits) {

    static final String TYPE = "usage.recorded";

    boolean isClientError() {
        return status >= 400 && status < 500;
    }

    boolean isServerError() {
        return status >= 500;
    }

    /**
     * Reads the event; a missing or non-numeric {@code status} makes it unusable and throws, so it ends in
     * the dead-letter stream instead of being counted wrongly. Byte counts, latency and compute units default
     * to zero when a producer leaves them out.
     */
    static UsageRecorded from(EventEnvelope event) {
        if (event.id() == null || event.id().isBlank()) {
            throw new IllegalArgumentException("usage event has no id");
        }
        if (event.tenantId() == null) {
            throw new IllegalArgumentException("usage event " + event.id() + " has no tenantId");
        }
        Map<String, Object> data = event.data();
        Number status = number(data, "status");
        if (status == null) {
            throw new IllegalArgumentException("usage event " + event.id() + " has no numeric 'status'");
        }
        Instant occurredAt = event.occurredAt() == null ? Instant.now() : event.occurredAt();
        return new UsageRecorded(event.id(), event.tenantId(), occurredAt.truncatedTo(ChronoUnit.MINUTES),
                status.intValue(), nonNegative(number(data, "latencyMs")).doubleValue(),
                nonNegative(number(data, "requestBytes")).longValue(),
                nonNegative(number(data, "responseBytes")).longValue(),
                nonNegative(number(data, "computeUnits")).longValue());
    }

    private static Number number(Map<String, Object> data, String field) {
        Object value = data.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("usage event field '" + field + "' is not a number: " + value);
    }

    private static Number nonNegative(Number n) {
        return n == null || n.doubleValue() < 0 ? 0 : n;
    }
}
