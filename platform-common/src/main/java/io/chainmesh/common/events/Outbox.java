package io.chainmesh.common.events;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes an event into the service's {@code outbox} table inside the caller's transaction, so the
 * event exists if and only if the state change committed. {@link OutboxRelay} moves it to the stream.
 *
 * <p>Every service that uses it creates the table in its own Flyway migration:
 * <pre>
 * CREATE TABLE outbox (
 *   seq          BIGSERIAL PRIMARY KEY,
 *   event_id     TEXT NOT NULL UNIQUE,
 *   stream       TEXT NOT NULL,
 *   envelope     TEXT NOT NULL,
 *   created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
 *   published_at TIMESTAMPTZ);
 * CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
 * </pre>
 */
public class Outbox {

    private final JdbcClient jdbc;

    public Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends a typed event of {@code tenantId} to the stream its type travels on; returns the envelope written. */
    public EventEnvelope append(UUID tenantId, PlatformEvent event) {
        EventEnvelope envelope = EventEnvelope.of(tenantId, event);
        append(event.stream(), envelope);
        return envelope;
    }

    public void append(String stream, EventEnvelope event) {
        jdbc.sql("INSERT INTO outbox (event_id, stream, envelope) VALUES (:id, :stream, :envelope)")
                .param("id", event.id())
                .param("stream", stream)
                .param("envelope", EventCodec.encode(event))
                .update();
    }
}
