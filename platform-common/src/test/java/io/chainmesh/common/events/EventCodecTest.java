package io.chainmesh.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final UUID TENANT = UUID.randomUUID();

    @Test
    void everyTypedEventSurvivesTheWireUnchanged() {
        List<PlatformEvent> events = List.of(
                new TenantCreated("acme", "free", "active"),
                new TenantSuspended(),
                new TenantResumed(),
                new TenantPlanChanged("free", "developer"),
                new ApiKeyCreated(UUID.randomUUID(), "laptop", "cmk_abcdefgh", List.of("read", "rpc"),
                        Instant.parse("2030-01-01T00:00:00Z")),
                new ApiKeyRevoked(UUID.randomUUID()),
                new WebhookEndpointDisabled(UUID.randomUUID(), "https://example.test/hook", "gone", "410",
                        Instant.parse("2026-01-01T00:00:00Z")),
                new WebhookTestRequested(UUID.randomUUID(), "hello"),
                new UsageRecorded(UUID.randomUUID(), "key:1", "rpc", "POST", "/v1/nodes/{id}/rpc", null, "batch", 3,
                        Map.of("eth_call", 2, "eth_chainId", 1), 200, 1.5, 120, 300, 46),
                new NodeStatusChanged(UUID.randomUUID(), "n1", "ethereum", "anvil", 31337L, "local", "RUNNING", null),
                new TransactionStatusChanged(UUID.randomUUID(), null, UUID.randomUUID(), "0xab", "0x01", "0x02", 7L,
                        "MINED", 12L, null),
                new ContractEventLogged(UUID.randomUUID(), UUID.randomUUID(), "0x03", "Transfer",
                        "Transfer(address,address,uint256)", Map.of("value", "10"), 12, "0xbb", "0xcc", 0, false));

        for (PlatformEvent event : events) {
            EventEnvelope sent = EventEnvelope.of(TENANT, event);
            EventEnvelope received = EventCodec.decode(EventCodec.encode(sent));

            assertThat(received.type()).isEqualTo(event.type());
            assertThat(received.event()).contains(event);
        }
    }

    @Test
    void familiesTakeTheirTypeFromTheStatus() {
        assertThat(new NodeStatusChanged(null, null, null, null, null, null, "DELETED", null).type())
                .isEqualTo("node.deleted");
        assertThat(new TransactionStatusChanged(null, null, null, null, null, null, null, "PENDING", null, null).type())
                .isEqualTo("tx.submitted");
        assertThat(new TransactionStatusChanged(null, null, null, null, null, null, null, "REPLACED", null, null).type())
                .isEqualTo("tx.replaced");
        assertThat(new TransactionStatusChanged(null, null, null, null, null, null, null, "CONFIRMED", null, null)
                .stream()).isEqualTo(Streams.TX);
    }

    @Test
    void everyCatalogueEntryNamesADistinctWireType() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName).distinct().count())
                .isEqualTo(EventType.values().length);
    }

    @Test
    void theWireFormKeepsItsFieldNames() {
        EventEnvelope envelope = EventEnvelope.of(TENANT, new ApiKeyRevoked(UUID.fromString(
                "00000000-0000-0000-0000-000000000001")));

        assertThat(envelope.data()).containsExactly(Map.entry("keyId", "00000000-0000-0000-0000-000000000001"));
        assertThat(EventCodec.encode(envelope)).contains("\"type\":\"api_key.revoked\"");
    }

    @Test
    void anUnknownTypeFromANewerProducerIsSkippedNotFailed() {
        EventEnvelope future = new EventEnvelope("e1", "tenant.renamed", TENANT, Instant.now(), Map.of("name", "x"));

        assertThat(future.event()).isEmpty();
    }

    @Test
    void dataThatDoesNotFitItsRecordIsMalformed() {
        EventEnvelope broken = new EventEnvelope("e2", "api_key.revoked", TENANT, Instant.now(),
                Map.of("keyId", "not-a-uuid"));

        assertThatThrownBy(broken::event).isInstanceOf(MalformedEventException.class).hasMessageContaining("e2");
        assertThatThrownBy(() -> EventEnvelope.of(TENANT, new TenantSuspended()).event(ApiKeyRevoked.class))
                .isInstanceOf(MalformedEventException.class);
    }
}
