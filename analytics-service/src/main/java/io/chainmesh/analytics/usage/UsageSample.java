package io.chainmesh.analytics.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.MalformedEventException;
import io.chainmesh.common.events.UsageRecorded;

/**
 * What the minute aggregates add up from one {@link UsageRecorded} event: its tenant and minute, and the measurable
 * part. Route, path and key id are not aggregated yet.
 */
record UsageSample(String eventId, UUID tenantId, Instant minute, int status, double latencyMs, long requestBytes,
        long responseBytes, long computeUnits) {

    boolean isClientError() {
        return status >= 400 && status < 500;
    }

    boolean isServerError() {
        return status >= 500;
    }

    /**
     * Reads a {@code usage.recorded} envelope. One without an id, a tenant or a valid HTTP status is unusable and
     * throws, so it ends in the dead-letter stream instead of being counted wrongly; negative byte counts, latency and
     * compute units count as zero, and so do missing ones.
     *
     * @throws MalformedEventException when the event cannot be counted
     */
    static UsageSample of(EventEnvelope event) {
        if (event.id() == null || event.id().isBlank()) {
            throw new MalformedEventException("usage event has no id");
        }
        if (event.tenantId() == null) {
            throw new MalformedEventException("usage event " + event.id() + " has no tenantId");
        }
        UsageRecorded usage = event.event(UsageRecorded.class);
        // A status the record leaves at 0 was missing: HTTP statuses are three digits (RFC 9110, section 15).
        if (usage.status() < 100 || usage.status() > 599) {
            throw new MalformedEventException("usage event " + event.id() + " has no valid 'status'");
        }
        Instant occurredAt = event.occurredAt() == null ? Instant.now() : event.occurredAt();
        return new UsageSample(event.id(), event.tenantId(), occurredAt.truncatedTo(ChronoUnit.MINUTES),
                usage.status(), Math.max(0, usage.latencyMs()), Math.max(0, usage.requestBytes()),
                Math.max(0, usage.responseBytes()), Math.max(0, usage.computeUnits()));
    }
}
