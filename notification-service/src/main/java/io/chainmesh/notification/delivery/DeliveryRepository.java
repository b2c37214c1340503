package io.chainmesh.notification.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.common.crypto.EnvelopeCipher;
import io.chainmesh.notification.endpoint.WebhookEndpointRepository;

/**
 * Deliveries and their attempts. Every tenant-facing query is scoped by tenant; {@link #claimDue} is the one
 * cross-tenant query, the scheduler's. Outcome updates carry the attempt number they were claimed with, so a worker
 * whose lease ran out (and whose delivery another worker took over) cannot overwrite the newer outcome.
 */
@Repository
class DeliveryRepository {

    static final String PENDING = "pending";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the events as processed; returns those that were not before (whose deliveries are still to be created).
     * Rows are inserted in id order, so two intakes whose batches share events lock them in the same order and never
     * deadlock: the second waits for the first to commit and then finds them processed.
     */
    Set<String> markProcessed(Collection<String> eventIds, String stream) {
        return new HashSet<>(jdbc.sql("""
                INSERT INTO processed_events (event_id, stream)
                SELECT id, :stream FROM unnest(CAST(:ids AS TEXT[])) AS id ORDER BY id
                ON CONFLICT DO NOTHING RETURNING event_id""")
                .param("ids", eventIds.toArray(String[]::new)).param("stream", stream)
                .query(String.class).list());
    }

    /** A delivery the intake is about to create. */
    record NewDelivery(UUID id, UUID tenantId, UUID endpointId, String messageId, String eventType, String payload,
            Instant dueAt) {
    }

    /**
     * Creates the deliveries in one statement (PostgreSQL arrays; one round trip however many rows).
     *
     * @return how many were created (an endpoint that already has the message keeps its row)
     */
    int insertAll(List<NewDelivery> rows, Instant now) {
        if (rows.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                INSERT INTO deliveries (id, tenant_id, endpoint_id, message_id, event_type, payload, status,
                                        next_attempt_at, created_at, updated_at)
                SELECT id, tenant_id, endpoint_id, message_id, event_type, payload, 'pending', due, :now, :now
                FROM unnest(CAST(:ids AS UUID[]), CAST(:tenantIds AS UUID[]), CAST(:endpointIds AS UUID[]),
                            CAST(:messageIds AS TEXT[]), CAST(:eventTypes AS TEXT[]), CAST(:payloads AS TEXT[]),
                            CAST(:dues AS TIMESTAMPTZ[]))
                     AS row(id, tenant_id, endpoint_id, message_id, event_type, payload, due)
                ON CONFLICT (endpoint_id, message_id) DO NOTHING""")
                .param("ids", texts(rows, NewDelivery::id)).param("tenantIds", texts(rows, NewDelivery::tenantId))
                .param("endpointIds", texts(rows, NewDelivery::endpointId))
                .param("messageIds", texts(rows, NewDelivery::messageId))
                .param("eventTypes", texts(rows, NewDelivery::eventType))
                .param("payloads", texts(rows, NewDelivery::payload)).param("dues", texts(rows, NewDelivery::dueAt))
                .param("now", Timestamp.from(now))
                .update();
    }

    /** @return whether a row was created (false when this endpoint already has this message) */
    boolean insert(UUID tenantId, UUID id, UUID endpointId, String messageId, String eventType, String payload,
            Instant dueAt, Instant now) {
        return jdbc.sql("""
                INSERT INTO deliveries (id, tenant_id, endpoint_id, message_id, event_type, payload, status,
                                        next_attempt_at, created_at, updated_at)
                VALUES (:id, :tenantId, :endpointId, :messageId, :eventType, :payload, 'pending', :due, :now, :now)
                ON CONFLICT (endpoint_id, message_id) DO NOTHING""")
                .param("id", id).param("tenantId", tenantId).param("endpointId", endpointId)
                .param("messageId", messageId).param("eventType", eventType).param("payload", payload)
                .param("due", Timestamp.from(dueAt)).param("now", Timestamp.from(now))
                .update() == 1;
    }

    /** A due delivery claimed for one attempt, with what the attempt needs from its endpoint. */
    record Claimed(UUID id, UUID tenantId, UUID endpointId, String messageId, String eventType, String payload,
            int attempt, int scheduleStep, String url, boolean endpointEnabled, EnvelopeCipher.Sealed secret,
            EnvelopeCipher.Sealed previousSecret, Instant previousSecretExpiresAt) {
    }

    /**
     * Claims up to {@code limit} due deliveries: locks them with {@code SKIP LOCKED} (replicas never claim the same
     * row), counts the attempt and moves their due time to the end of the lease. A worker that dies mid-attempt thus
     * leaves the delivery due again when the lease ends; nothing is lost, and the retry carries the same webhook-id.
     */
    List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("""
                WITH due AS (
                    SELECT id FROM deliveries
                    WHERE status = 'pending' AND next_attempt_at <= :now
                    ORDER BY next_attempt_at
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED)
                UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = :leaseUntil, updated_at = :now
                FROM due, webhook_endpoints e
                WHERE d.id = due.id AND e.id = d.endpoint_id
                RETURNING d.id, d.tenant_id, d.endpoint_id, d.message_id, d.event_type, d.payload, d.attempts,
                          d.schedule_step, e.url, e.enabled, e.secret_key_id, e.sealed_secret, e.previous_secret_key_id,
                          e.sealed_previous_secret, e.previous_secret_expires_at""")
                .param("now", Timestamp.from(now)).param("leaseUntil", Timestamp.from(leaseUntil))
                .param("limit", limit)
                .query((rs, i) -> new Claimed(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getObject("endpoint_id", UUID.class), rs.getString("message_id"), rs.getString("event_type"),
                        rs.getString("payload"), rs.getInt("attempts"), rs.getInt("schedule_step"), rs.getString("url"),
                        rs.getBoolean("enabled"), WebhookEndpointRepository.sealed(rs, "secret_key_id", "sealed_secret"),
                        WebhookEndpointRepository.sealed(rs, "previous_secret_key_id", "sealed_previous_secret"),
                        instant(rs, "previous_secret_expires_at")))
                .list();
    }

    /** Adds the attempts to their deliveries' logs, in one statement. */
    void recordAttempts(List<FinishedAttempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO delivery_attempts (delivery_id, tenant_id, attempt, attempted_at, status_code, latency_ms,
                                               response_body, error)
                SELECT * FROM unnest(CAST(:deliveryIds AS UUID[]), CAST(:tenantIds AS UUID[]), CAST(:attempts AS INT[]),
                                     CAST(:at AS TIMESTAMPTZ[]), CAST(:statusCodes AS INT[]), CAST(:latencies AS INT[]),
                                     CAST(:bodies AS TEXT[]), CAST(:errors AS TEXT[]))""")
                .param("deliveryIds", texts(attempts, a -> a.delivery().id()))
                .param("tenantIds", texts(attempts, a -> a.delivery().tenantId()))
                .param("attempts", texts(attempts, a -> a.delivery().attempt()))
                .param("at", texts(attempts, FinishedAttempt::startedAt))
                .param("statusCodes", texts(attempts, a -> a.outcome().statusCode()))
                .param("latencies", texts(attempts, a -> (int) Math.min(Integer.MAX_VALUE, a.outcome().latencyMs())))
                .param("bodies", texts(attempts, a -> a.outcome().responseBody()))
                .param("errors", texts(attempts, a -> a.outcome().error()))
                .update();
    }

    /**
     * Ends the deliveries of these successful attempts, in one statement; as with {@link #complete}, a delivery
     * another worker has claimed since (its lease ran out) is left alone.
     *
     * @return how many were ended
     */
    int completeSucceeded(List<FinishedAttempt> attempts) {
        if (attempts.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                UPDATE deliveries d SET status = 'succeeded', last_status_code = s.status_code, last_error = NULL,
                       next_attempt_at = NULL, completed_at = s.ended_at, updated_at = s.ended_at
                FROM unnest(CAST(:tenantIds AS UUID[]), CAST(:ids AS UUID[]), CAST(:attempts AS INT[]),
                            CAST(:statusCodes AS INT[]), CAST(:endedAt AS TIMESTAMPTZ[]))
                     AS s(tenant_id, id, attempt, status_code, ended_at)
                WHERE d.tenant_id = s.tenant_id AND d.id = s.id AND d.attempts = s.attempt AND d.status = 'pending'""")
                .param("tenantIds", texts(attempts, a -> a.delivery().tenantId()))
                .param("ids", texts(attempts, a -> a.delivery().id()))
                .param("attempts", texts(attempts, a -> a.delivery().attempt()))
                .param("statusCodes", texts(attempts, a -> a.outcome().statusCode()))
                .param("endedAt", texts(attempts, FinishedAttempt::endedAt))
                .update();
    }

    /** Ends the delivery ({@code succeeded} or {@code failed}); false when another worker has since claimed it. */
    boolean complete(UUID tenantId, UUID id, int attempt, String status, Integer statusCode, String error, Instant now) {
        return jdbc.sql("""
                UPDATE deliveries SET status = :status, last_status_code = :statusCode, last_error = :error,
                       next_attempt_at = NULL, completed_at = :now, updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id AND attempts = :attempt AND status = 'pending'""")
                .param("status", status).param("statusCode", statusCode).param("error", error)
                .param("now", Timestamp.from(now)).param("tenantId", tenantId).param("id", id)
                .param("attempt", attempt).update() == 1;
    }

    boolean reschedule(UUID tenantId, UUID id, int attempt, int nextStep, Instant nextAttemptAt, Integer statusCode,
            String error, Instant now) {
        return jdbc.sql("""
                UPDATE deliveries SET schedule_step = :step, next_attempt_at = :next, last_status_code = :statusCode,
                       last_error = :error, updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id AND attempts = :attempt AND status = 'pending'""")
                .param("step", nextStep).param("next", Timestamp.from(nextAttemptAt))
                .param("statusCode", statusCode).param("error", error).param("now", Timestamp.from(now))
                .param("tenantId", tenantId).param("id", id).param("attempt", attempt).update() == 1;
    }

    /** Makes a delivery due now with a fresh schedule (a manual replay); a pending one is just brought forward. */
    boolean replay(UUID tenantId, UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE deliveries SET status = 'pending', schedule_step = 0, next_attempt_at = :now,
                       completed_at = NULL, updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id""")
                .param("now", Timestamp.from(now)).param("tenantId", tenantId).param("id", id).update() == 1;
    }

    record Row(UUID id, long seq, UUID tenantId, UUID endpointId, String messageId, String eventType, String status,
            int attempts, Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant createdAt,
            Instant completedAt) {
    }

    record AttemptRow(UUID deliveryId, int attempt, Instant attemptedAt, Integer statusCode, int latencyMs,
            String responseBody, String error) {
    }

    private static final String ROW_COLUMNS = """
            id, seq, tenant_id, endpoint_id, message_id, event_type, status, attempts, next_attempt_at,
            last_status_code, last_error, created_at, completed_at""";

    Optional<Row> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + ROW_COLUMNS + " FROM deliveries WHERE tenant_id = :tenantId AND id = :id")
                .param("tenantId", tenantId).param("id", id).query(DeliveryRepository::row).optional();
    }

    /** Newest first, before {@code beforeSeq}; {@code status} null for all. */
    List<Row> page(UUID tenantId, UUID endpointId, String status, long beforeSeq, int limit) {
        return jdbc.sql("SELECT " + ROW_COLUMNS + " " + """
                FROM deliveries
                WHERE tenant_id = :tenantId AND endpoint_id = :endpointId AND seq < :before
                  AND (CAST(:status AS TEXT) IS NULL OR status = :status)
                ORDER BY seq DESC LIMIT :limit""")
                .param("tenantId", tenantId).param("endpointId", endpointId).param("before", beforeSeq)
                .param("status", status).param("limit", limit)
                .query(DeliveryRepository::row).list();
    }

    List<AttemptRow> attemptsOf(UUID tenantId, List<UUID> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT delivery_id, attempt, attempted_at, status_code, latency_ms, response_body, error
                FROM delivery_attempts WHERE tenant_id = :tenantId AND delivery_id IN (:ids) ORDER BY id""")
                .param("tenantId", tenantId).param("ids", deliveryIds)
                .query((rs, i) -> new AttemptRow(rs.getObject("delivery_id", UUID.class), rs.getInt("attempt"),
                        instant(rs, "attempted_at"), (Integer) rs.getObject("status_code"), rs.getInt("latency_ms"),
                        rs.getString("response_body"), rs.getString("error")))
                .list();
    }

    /** Forgets processed event ids older than the retention; the stream itself is trimmed long before that. */
    int purgeProcessedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM processed_events WHERE processed_at < :cutoff")
                .param("cutoff", Timestamp.from(cutoff)).update();
    }

    /**
     * Deletes up to {@code limit} deliveries that finished (succeeded, or failed for good) before {@code cutoff}, oldest
     * first, with their attempts (ON DELETE CASCADE). Pending ones are never touched, however old; a delivery replayed
     * while this runs is pending again by the time its row lock is granted, and is skipped.
     */
    int purgeFinishedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                DELETE FROM deliveries WHERE id IN (
                    SELECT id FROM deliveries
                    WHERE status <> 'pending' AND completed_at < :cutoff
                    ORDER BY completed_at
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED)
                AND status <> 'pending'""")
                .param("cutoff", Timestamp.from(cutoff)).param("limit", limit).update();
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getObject("tenant_id", UUID.class),
                rs.getObject("endpoint_id", UUID.class), rs.getString("message_id"), rs.getString("event_type"),
                rs.getString("status"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"), instant(rs, "created_at"),
                instant(rs, "completed_at"));
    }

    /**
     * One column of a multi-row statement as a text array, nulls kept; PostgreSQL casts it to the column's type
     * ({@link Instant} prints as ISO-8601 UTC, which {@code timestamptz} reads exactly).
     */
    private static <T> String[] texts(List<T> rows, Function<T, Object> column) {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = column.apply(rows.get(i));
            values[i] = v == null ? null : v.toString();
        }
        return values;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
