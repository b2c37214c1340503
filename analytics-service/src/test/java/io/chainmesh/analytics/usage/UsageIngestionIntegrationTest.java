package io.chainmesh.analytics.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chainmesh.analytics.AnalyticsServiceTestBase;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.events.StreamConsumer;
import io.chainmesh.common.events.TenantCreated;
import io.chainmesh.common.events.UsageRecorded;

class UsageIngestionIntegrationTest extends AnalyticsServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    EventPublisher publisher;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UsageEventHandler handler;

    @Test
    void publishedUsageEventsAreAggregatedPerTenantAndMinute() {
        UUID tenant = UUID.randomUUID();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        publisher.publish(USAGE_STREAM, usage(tenant, minute.plusSeconds(1), 200, 12.0, 5));
        publisher.publish(USAGE_STREAM, usage(tenant, minute.plusSeconds(2), 404, 30.0, 1));
        publisher.publish(USAGE_STREAM, usage(tenant, minute.plusSeconds(3), 502, 6.0, 0));

        await().atMost(WAIT).untilAsserted(() -> assertThat(requests(tenant)).isEqualTo(3));
        Map<String, Object> row = jdbc.sql("SELECT * FROM usage_minute WHERE tenant_id = :t").param("t", tenant)
                .query().singleRow();
        assertThat(((java.sql.Timestamp) row.get("minute")).toInstant()).isEqualTo(minute);
        assertThat(row).containsEntry("client_errors", 1L).containsEntry("server_errors", 1L)
                .containsEntry("compute_units", 6L).containsEntry("request_bytes", 300L)
                .containsEntry("response_bytes", 3000L).containsEntry("latency_ms_sum", 48.0)
                .containsEntry("latency_ms_max", 30.0);
    }

    @Test
    void anEventDeliveredTwiceIsCountedOnce() {
        UUID tenant = UUID.randomUUID();
        EventEnvelope event = usage(tenant, Instant.now(), 200, 10.0, 7);
        publisher.publish(USAGE_STREAM, event);
        publisher.publish(USAGE_STREAM, event);
        // The stream is read in order: once this later event is counted, both copies have been handled.
        publisher.publish(USAGE_STREAM, usage(tenant, Instant.now(), 200, 10.0, 1));

        await().atMost(WAIT).untilAsserted(() -> assertThat(requests(tenant)).isEqualTo(2));
        assertThat(computeUnits(tenant)).isEqualTo(8);
    }

    @Test
    void anEntryReadButNotAcknowledgedBeforeACrashIsProcessedWhenTheConsumerRestarts() {
        // A stream and group of its own, so the shared consumer cannot take the entry first.
        String stream = USAGE_STREAM + ".restart." + UUID.randomUUID();
        String group = "analytics";
        String consumerName = "analytics-crashed";
        UUID tenant = UUID.randomUUID();
        try {
            publisher.publish(stream, usage(tenant, Instant.now(), 200, 3.0, 4));
            redis.opsForStream().createGroup(stream, ReadOffset.from("0"), group);
            // The "crashed" instance read the entry and died before acknowledging it.
            List<?> read = redis.opsForStream().read(Consumer.from(group, consumerName), StreamReadOptions.empty().count(10),
                    StreamOffset.create(stream, ReadOffset.lastConsumed()));
            assertThat(read).hasSize(1);
            assertThat(redis.opsForStream().pending(stream, group).getTotalPendingMessages()).isEqualTo(1);
            assertThat(requests(tenant)).isZero();

            StreamConsumer restarted = new StreamConsumer(redis, stream, group, consumerName, handler,
                    new StreamConsumer.Options(10, Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMinutes(5), 3));
            restarted.start();
            try {
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(requests(tenant)).isEqualTo(1);
                    assertThat(redis.opsForStream().pending(stream, group, Range.unbounded(), 10).isEmpty()).isTrue();
                });
            } finally {
                restarted.stop();
            }
        } finally {
            redis.delete(stream);
        }
    }

    @Test
    void countedUsageIsExportedAsPrometheusCountersPerTenant() throws Exception {
        UUID tenant = UUID.randomUUID();
        publisher.publish(USAGE_STREAM, usage(tenant, Instant.now(), 200, 1.0, 25));
        publisher.publish(USAGE_STREAM, usage(tenant, Instant.now(), 500, 1.0, 17));
        await().atMost(WAIT).untilAsserted(() -> assertThat(requests(tenant)).isEqualTo(2));

        // The counters are incremented right after commit; poll briefly rather than assume ordering.
        await().atMost(WAIT).untilAsserted(() -> {
            String scrape = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()).andReturn()
                    .getResponse().getContentAsString();
            assertThat(scrape).contains("chainmesh_tenant_requests_total{tenant=\"" + tenant + "\"} 2.0");
            assertThat(scrape).contains("chainmesh_tenant_compute_units_total{tenant=\"" + tenant + "\"} 42.0");
        });
    }

    @Test
    void eventsOfOtherTypesAreAcknowledgedWithoutCounting() {
        UUID tenant = UUID.randomUUID();
        publisher.publish(USAGE_STREAM, EventEnvelope.of(tenant, new TenantCreated("x", "free", "active")));
        publisher.publish(USAGE_STREAM, usage(tenant, Instant.now(), 200, 1.0, 1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(requests(tenant)).isEqualTo(1));
    }

    static EventEnvelope usage(UUID tenant, Instant occurredAt, int status, double latencyMs, int computeUnits) {
        return EventEnvelope.of(tenant, new UsageRecorded(null, "key:" + UUID.randomUUID(), "blockchain", "POST",
                "/v1/nodes/{id}/rpc", null, null, null, null, status, latencyMs, 100, 1000, computeUnits), occurredAt);
    }

    private long requests(UUID tenant) {
        return jdbc.sql("SELECT coalesce(sum(requests), 0) FROM usage_minute WHERE tenant_id = :t").param("t", tenant)
                .query(Long.class).single();
    }

    private long computeUnits(UUID tenant) {
        return jdbc.sql("SELECT coalesce(sum(compute_units), 0) FROM usage_minute WHERE tenant_id = :t")
                .param("t", tenant).query(Long.class).single();
    }
}
