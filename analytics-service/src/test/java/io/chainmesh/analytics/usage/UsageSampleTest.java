package io.chainmesh.analytics.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.MalformedEventException;

class UsageSampleTest {

    private final UUID tenant = UUID.randomUUID();

    @Test
    void theEventIsCountedInTheUtcMinuteItOccurredIn() {
        UsageSample usage = UsageSample.of(new EventEnvelope("e1", "usage.recorded", tenant,
                Instant.parse("2025-03-04T10:15:59.900Z"), Map.of("status", 503, "latencyMs", 12.5, "computeUnits", 4)));
        assertThat(usage.minute()).isEqualTo(Instant.parse("2025-03-04T10:15:00Z"));
        assertThat(usage.isServerError()).isTrue();
        assertThat(usage.isClientError()).isFalse();
        assertThat(usage.latencyMs()).isEqualTo(12.5);
        assertThat(usage.computeUnits()).isEqualTo(4);
        assertThat(usage.requestBytes()).isZero();
    }

    /** Producers' data as it arrives on the wire, so what the record would refuse or default can be shown. */
    @Test
    void anEventWithoutStatusOrTenantIsUnusable() {
        assertThatThrownBy(() -> UsageSample.of(
                new EventEnvelope("e2", "usage.recorded", tenant, Instant.now(), Map.of("computeUnits", 1))))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> UsageSample.of(
                new EventEnvelope("e3", "usage.recorded", null, Instant.now(), Map.of("status", 200))))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> UsageSample.of(
                new EventEnvelope("e4", "usage.recorded", tenant, Instant.now(), Map.of("status", "ok"))))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("e4");
    }

    @Test
    void negativeMeasuresCountAsZero() {
        UsageSample usage = UsageSample.of(new EventEnvelope("e5", "usage.recorded", tenant, Instant.now(),
                Map.of("status", 200, "latencyMs", -1.0, "requestBytes", -5, "computeUnits", -3)));
        assertThat(usage.latencyMs()).isZero();
        assertThat(usage.requestBytes()).isZero();
        assertThat(usage.computeUnits()).isZero();
    }
}
