package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chainmesh.notification.NotificationProperties;
import io.chainmesh.notification.NotificationServiceTestBase;

/** Finished deliveries older than the retention go, with their attempts; pending and recent ones stay. */
class DeliveryLogRetentionIntegrationTest extends NotificationServiceTestBase {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeliveryRepository deliveries;

    @Autowired
    NotificationProperties properties;

    @Autowired
    Clock clock;

    @Test
    void finishedDeliveriesPastTheRetentionArePurgedInBatchesWithTheirAttemptsAndPendingOnesNever() throws Exception {
        Duration retention = properties.delivery().retention();
        assertThat(retention).as("the configured default").isEqualTo(Duration.ofDays(30));
        UUID tenant = UUID.randomUUID();
        UUID endpoint = UUID.fromString(createEndpoint(tenant, "https://example.com/hooks").path("id").asString());
        Instant now = clock.instant();

        UUID succeededLongAgo = insert(tenant, endpoint, "succeeded", null, days(now, 45), days(now, 40));
        UUID failedJustPast = insert(tenant, endpoint, "failed", "HTTP 500 (retry schedule exhausted)", days(now, 35),
                days(now, 31));
        UUID failedEndpointDisabled = insert(tenant, endpoint, "failed", "endpoint_disabled", days(now, 33), days(now, 32));
        UUID succeededWithinRetention = insert(tenant, endpoint, "succeeded", null, days(now, 29), days(now, 29));
        UUID replayedRecently = insert(tenant, endpoint, "failed", "HTTP 503", days(now, 60), days(now, 2));
        UUID pendingForAges = insert(tenant, endpoint, "pending", "HTTP 500", days(now, 90), null);

        // batch size 2 with three of ours (and any a killed earlier run left) to purge: the job must loop until a
        // batch comes back short
        Clock frozen = Clock.fixed(now, ZoneOffset.UTC);
        long finishedBeforeCutoff = jdbc.sql("""
                SELECT count(*) FROM deliveries WHERE status <> 'pending' AND completed_at < :cutoff""")
                .param("cutoff", Timestamp.from(now.minus(retention))).query(Long.class).single();
        int purged = new DeliveryLogRetention(deliveries, retention, 2, frozen).purge();

        assertThat(purged).isEqualTo(finishedBeforeCutoff);
        assertThat(remaining(tenant)).containsExactlyInAnyOrder(succeededWithinRetention, replayedRecently, pendingForAges);
        assertThat(attemptsOf(List.of(succeededLongAgo, failedJustPast, failedEndpointDisabled))).isZero();
        assertThat(attemptsOf(List.of(succeededWithinRetention, replayedRecently, pendingForAges))).isEqualTo(6);

        assertThat(new DeliveryLogRetention(deliveries, retention, 2, frozen).purge()).isZero();
        assertThat(remaining(tenant)).as("a second run keeps what the first kept").hasSize(3);
    }

    /** A delivery with two attempts; {@code completedAt} null for a pending one (due tomorrow, so no worker claims it). */
    private UUID insert(UUID tenant, UUID endpoint, String status, String error, Instant createdAt, Instant completedAt) {
        UUID id = UUID.randomUUID();
        Instant due = completedAt == null ? clock.instant().plus(Duration.ofDays(1)) : null;
        jdbc.sql("""
                INSERT INTO deliveries (id, tenant_id, endpoint_id, message_id, event_type, payload, status, attempts,
                                        next_attempt_at, created_at, updated_at, completed_at, last_error)
                VALUES (:id, :tenant, :endpoint, :message, 'tx.confirmed', '{}', :status, 2, :due, :created, :created,
                        :completed, :error)""")
                .param("id", id).param("tenant", tenant).param("endpoint", endpoint)
                .param("message", "evt_" + id).param("status", status)
                .param("due", due == null ? null : Timestamp.from(due))
                .param("created", Timestamp.from(createdAt))
                .param("completed", completedAt == null ? null : Timestamp.from(completedAt))
                .param("error", error)
                .update();
        for (int attempt = 1; attempt <= 2; attempt++) {
            jdbc.sql("""
                    INSERT INTO delivery_attempts (delivery_id, tenant_id, attempt, attempted_at, status_code, latency_ms)
                    VALUES (:id, :tenant, :attempt, :at, 500, 12)""")
                    .param("id", id).param("tenant", tenant).param("attempt", attempt)
                    .param("at", Timestamp.from(createdAt.plusSeconds(attempt))).update();
        }
        return id;
    }

    private static Instant days(Instant now, int daysAgo) {
        return now.minus(Duration.ofDays(daysAgo));
    }

    private List<UUID> remaining(UUID tenant) {
        return jdbc.sql("SELECT id FROM deliveries WHERE tenant_id = :tenant").param("tenant", tenant)
                .query(UUID.class).list();
    }

    private long attemptsOf(List<UUID> ids) {
        return jdbc.sql("SELECT count(*) FROM delivery_attempts WHERE delivery_id IN (:ids)").param("ids", ids)
                .query(Long.class).single();
    }
}
