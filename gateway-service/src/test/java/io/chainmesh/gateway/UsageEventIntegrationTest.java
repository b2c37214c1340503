package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.events.UsageRecorded;

class UsageEventIntegrationTest extends GatewayIntegrationTestSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void publishesOneUsageEventPerAuthenticatedRequestWithoutTheKeyInIt() {
        TestKey key = newKey();
        String node = UUID.randomUUID().toString();

        assertThat(send("POST", "/rpc/" + key.key() + "/" + node, "{\"jsonrpc\":\"2.0\"}", "Content-Type",
                "application/json").statusCode()).isEqualTo(200);

        EventEnvelope event = awaitUsageEventOf(key.tenantId());
        assertThat(event.type()).isEqualTo("usage.recorded");
        assertThat(event.data()).containsEntry("keyId", key.keyId().toString())
                .containsEntry("principal", "key:" + key.keyId())
                .containsEntry("route", "rpc")
                .containsEntry("method", "POST")
                .containsEntry("path", "/rpc/{apiKey}/{id}")
                .containsEntry("status", 200)
                .containsEntry("computeUnits", 20)
                .containsEntry("requestBytes", 17)
                .containsEntry("rpcMethod", null)
                .containsKeys("latencyMs", "responseBytes")
                .doesNotContainKeys("rpcCalls", "rpcMethods", "nodeId");
        assertThat(((Number) event.data().get("responseBytes")).longValue()).isPositive();
        assertThat(EventCodec.encode(event)).doesNotContain(key.key());
    }

    @Test
    void jsonRpcCallsArePricedPerMethodAndABatchCostsTheSum() {
        TestKey key = newKey();
        String node = UUID.randomUUID().toString();
        assertThat(send("POST", "/v1/nodes/" + node + "/rpc",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"},"
                        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_call\",\"params\":[{},\"latest\"]}]",
                "Content-Type", "application/json", "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        EventEnvelope event = awaitUsageEventOf(key.tenantId());
        assertThat(event.data()).containsEntry("route", "rpc").containsEntry("rpcMethod", "batch")
                .containsEntry("computeUnits", 36).containsEntry("rpcCalls", 2)
                .containsEntry("rpcMethods", Map.of("eth_blockNumber", 1, "eth_call", 1))
                .containsEntry("path", "/v1/nodes/{id}/rpc");
    }

    @Test
    void aPortalSessionsEventHasANullKeyAndTheRoutesPrice() {
        UUID tenantId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        tenantContext(tenantId, "active", GENEROUS_LIMITS);
        String jwt = UPSTREAMS.mintJwt(tenantId, userId, List.of("read"), "chainmesh-api",
                Instant.now().plusSeconds(600));

        assertThat(get("/v1/tenant", "Authorization", "Bearer " + jwt).statusCode()).isEqualTo(200);

        EventEnvelope event = awaitUsageEventOf(tenantId);
        assertThat(event.data()).containsEntry("keyId", null).containsEntry("principal", "user:" + userId)
                .containsEntry("route", "tenant").containsEntry("rpcMethod", null).containsEntry("computeUnits", 1)
                .containsEntry("requestBytes", 0);
        assertThat(event.event(UsageRecorded.class).status()).isEqualTo(200);
    }

    @Test
    void meteresRefusedRequestsOfAKnownTenantWithZeroComputeUnits() {
        TestKey key = newKey(List.of("read"), "active", GENEROUS_LIMITS);

        assertThat(send("DELETE", "/v1/wallets/" + UUID.randomUUID(), null, "X-API-Key", key.key()).statusCode())
                .isEqualTo(403);

        EventEnvelope event = awaitUsageEventOf(key.tenantId());
        assertThat(event.data()).containsEntry("status", 403).containsEntry("computeUnits", 0)
                .containsEntry("path", "/v1/wallets/{id}");
    }

    private EventEnvelope awaitUsageEventOf(UUID tenantId) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> latestUsageEventOf(tenantId), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<EventEnvelope> latestUsageEventOf(UUID tenantId) {
        List<MapRecord<String, Object, Object>> recent = redis.opsForStream()
                .reverseRange(Streams.USAGE, Range.unbounded(), Limit.limit().count(500));
        return recent.stream()
                .map(record -> EventCodec.decode((String) record.getValue().get(Streams.FIELD)))
                .filter(event -> tenantId.equals(event.tenantId()))
                .findFirst();
    }
}
