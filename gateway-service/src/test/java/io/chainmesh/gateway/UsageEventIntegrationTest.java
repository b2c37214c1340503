package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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

class UsageEventIntegrationTest extends GatewayIntegrationTestSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void publishesOneUsageEventPerAuthenticatedRequestWithoutTheKeyInIt() throws InterruptedException {
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
                .containsKeys("latencyMs", "responseBytes", "rpcMethod");
        assertThat(((Number) event.data().get("responseBytes")).longValue()).isPositive();
        assertThat(EventCodec.encode(event)).doesNotContain(key.key());
    }

    @Test
    void jsonRpcCallsArePricedPerMethodAndABatchCostsTheSum() throws InterruptedException {
        TestKey key = newKey();
        String node = UUID.randomUUID().toString();
        assertThat(send("POST", "/v1/nodes/" + node + "/rpc",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"},"
                        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_call\",\"params\":[{},\"latest\"]}]",
                "Content-Type", "application/json", "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        EventEnvelope event = awaitUsageEventOf(key.tenantId());
        assertThat(event.data()).containsEntry("route", "rpc").containsEntry("rpcMethod", "batch")
                .containsEntry("computeUnits", 36).containsEntry("rpcCalls", 2)
                .containsEntry("path", "/v1/nodes/{id}/rpc");
    }

    @Test
    void meteresRefusedRequestsOfAKnownTenantWithZeroComputeUnits() throws InterruptedException {
        TestKey key = newKey(List.of("read"), "active", GENEROUS_LIMITS);

        assertThat(send("DELETE", "/v1/wallets/" + UUID.randomUUID(), null, "X-API-Key", key.key()).statusCode())
                .isEqualTo(403);

        EventEnvelope event = awaitUsageEventOf(key.tenantId());
        assertThat(event.data()).containsEntry("status", 403).containsEntry("computeUnits", 0)
                .containsEntry("path", "/v1/wallets/{id}");
    }

    private EventEnvelope awaitUsageEventOf(UUID tenantId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<MapRecord<String, Object, Object>> recent = redis.opsForStream()
                    .reverseRange(Streams.USAGE, Range.unbounded(), Limit.limit().count(500));
            Optional<EventEnvelope> match = recent.stream()
                    .map(record -> EventCodec.decode((String) record.getValue().get(Streams.FIELD)))
                    .filter(event -> tenantId.equals(event.tenantId()))
                    .findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no usage event for tenant " + tenantId + " within 5 s");
    }
}
