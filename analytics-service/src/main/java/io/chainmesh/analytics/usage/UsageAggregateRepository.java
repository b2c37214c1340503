package io.chainmesh.analytics.usage;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Per-tenant per-minute usage rows, and the ledger of events already counted in them. */
@Repository
class UsageAggregateRepository {

    private final JdbcClient jdbc;

    UsageAggregateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that {@code eventId} is being counted; {@code false} when it was counted before. */
    boolean markProcessed(String eventId) {
        return jdbc.sql("INSERT INTO processed_events (event_id) VALUES (:id) ON CONFLICT (event_id) DO NOTHING")
                .param("id", eventId)
                .update() == 1;
    }

    void addToMinute(UUID tenantId, UsageSample usage) {
        jdbc.sql("""
                INSERT INTO usage_minute AS u (tenant_id, minute, requests, client_errors, server_errors, compute_units,
                                               request_bytes, response_bytes, latency_ms_sum, latency_ms_max)
                VALUES (:tenantId, :minute, 1, :clientErrors, :serverErrors, :computeUnits,
                        :requestBytes, :responseBytes, :latencyMs, :latencyMs)
                ON CONFLICT (tenant_id, minute) DO UPDATE SET
                    requests       = u.requests + 1,
                    client_errors  = u.client_errors + EXCLUDED.client_errors,
                    server_errors  = u.server_errors + EXCLUDED.server_errors,
                    compute_units  = u.compute_units + EXCLUDED.compute_units,
                    request_bytes  = u.request_bytes + EXCLUDED.request_bytes,
                    response_bytes = u.response_bytes + EXCLUDED.response_bytes,
                    latency_ms_sum = u.latency_ms_sum + EXCLUDED.latency_ms_sum,
                    latency_ms_max = greatest(u.latency_ms_max, EXCLUDED.latency_ms_max)""")
                .param("tenantId", tenantId)
                .param("minute", Timestamp.from(usage.minute()))
                .param("clientErrors", usage.isClientError() ? 1 : 0)
                .param("serverErrors", usage.isServerError() ? 1 : 0)
                .param("computeUnits", usage.computeUnits())
                .param("requestBytes", usage.requestBytes())
                .param("responseBytes", usage.responseBytes())
                .param("latencyMs", usage.latencyMs())
                .update();
    }

    record BucketSums(Instant start, long requests, long clientErrors, long serverErrors, long computeUnits,
            long requestBytes, long responseBytes, double latencyMsSum, double latencyMsMax) {
    }

    /** Sums of the tenant's minutes in {@code [from, to)}, grouped into UTC-aligned buckets; empty buckets absent. */
    List<BucketSums> sumByBucket(UUID tenantId, Instant from, Instant to, UsageInterval interval) {
        return jdbc.sql("""
                SELECT date_trunc(:unit, minute, 'UTC') AS start,
                       sum(requests) AS requests, sum(client_errors) AS client_errors, sum(server_errors) AS server_errors,
                       sum(compute_units) AS compute_units, sum(request_bytes) AS request_bytes,
                       sum(response_bytes) AS response_bytes, sum(latency_ms_sum) AS latency_ms_sum,
                       max(latency_ms_max) AS latency_ms_max
                FROM usage_minute
                WHERE tenant_id = :tenantId AND minute >= :from AND minute < :to
                GROUP BY 1
                ORDER BY 1""")
                .param("unit", interval.wireName())
                .param("tenantId", tenantId)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query((rs, row) -> new BucketSums(rs.getObject("start", OffsetDateTime.class).toInstant(),
                        rs.getLong("requests"), rs.getLong("client_errors"), rs.getLong("server_errors"),
                        rs.getLong("compute_units"), rs.getLong("request_bytes"), rs.getLong("response_bytes"),
                        rs.getDouble("latency_ms_sum"), rs.getDouble("latency_ms_max")))
                .list();
    }
}
