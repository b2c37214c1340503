package io.chainmesh.common.events;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one envelope of every event on every stream (DESIGN.md, "Event streams"). Build it from a typed
 * {@link PlatformEvent} with {@link #of(UUID, PlatformEvent)}; read the typed event back with {@link #event()}.
 *
 * @param id         unique event id; consumers de-duplicate on it
 * @param type       past-tense event type, e.g. {@code tenant.created}, {@code usage.recorded}
 * @param tenantId   the tenant the event belongs to, {@code null} for platform events
 * @param occurredAt when the state change happened
 * @param data       event-specific payload: the components of the typed event
 */
public record EventEnvelope(String id, String type, UUID tenantId, Instant occurredAt, Map<String, Object> data) {

    public EventEnvelope {
        data = data == null ? Map.of() : data;
    }

    /** A new envelope (fresh id, now) around a typed event. */
    public static EventEnvelope of(UUID tenantId, PlatformEvent event) {
        return of(tenantId, event, Instant.now());
    }

    /** A new envelope around a typed event that happened at {@code occurredAt}. */
    public static EventEnvelope of(UUID tenantId, PlatformEvent event, Instant occurredAt) {
        return new EventEnvelope(UUID.randomUUID().toString(), event.type(), tenantId, occurredAt,
                EventCodec.dataOf(event));
    }

    /**
     * The typed event inside, or empty for a type this version does not know (published by a newer producer).
     *
     * @throws MalformedEventException when the type is known but the data does not fit its record
     */
    public Optional<PlatformEvent> event() {
        return Optional.ofNullable(EventCodec.eventOf(this));
    }

    /**
     * The typed event inside, which must be of {@code expected}.
     *
     * @throws MalformedEventException when it is another type or its data does not fit
     */
    public <T extends PlatformEvent> T event(Class<T> expected) {
        PlatformEvent event = EventCodec.eventOf(this);
        if (!expected.isInstance(event)) {
            throw new MalformedEventException("event " + id + " of type " + type + " is not a "
                    + expected.getSimpleName());
        }
        return expected.cast(event);
    }
}
