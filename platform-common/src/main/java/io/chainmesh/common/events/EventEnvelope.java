package io.chainmesh.common.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The one envelope of every event on every stream (DESIGN.md, "Event streams").
 *
 * @param id         unique event id; consumers de-duplicate on it
 * @param type       past-tense event type, e.g. {@code tenant.created}, {@code usage.recorded}
 * @param tenantId   the tenant the event belongs to, {@code null} for platform events
 * @param occurredAt when the state change happened
 * @param data       event-specific payload
 */
public record EventEnvelope(String id, String type, UUID tenantId, Instant occurredAt, Map<String, Object> data) {

    public EventEnvelope {
        data = data == null ? Map.of() : data;
    }

    public static EventEnvelope of(String type, UUID tenantId, Map<String, Object> data) {
        return new EventEnvelope(UUID.randomUUID().toString(), type, tenantId, Instant.now(), data);
    }
}
