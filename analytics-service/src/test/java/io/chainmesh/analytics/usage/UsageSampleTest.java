package io.chainmesh.analytics.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.events.EventEnvelope;

class UsageRecordedTest {

    private final UUID tenant = UUID.randomUUID();

    @Test
    void theEventIsCountedInTheUtcMinuteItOccurredIn() {
        UsageRecorded usage = UsageRecorded.from(new EventEnvelope("e1", "usage.recorded", tenant,
                Instant.parse("2025-03-04T10:15:59.900Z"), Map.of("status", 503, "latencyMs", 12.5, "computeUnits", 4)));
        assertThat(usage.minute()).isEqualTo(Instant.parse("2025-03-04T10:15:00Z"));
        assertThat(usage.isServerError()).isTrue();
        assertThat(usage.isClientError()).isFalse();
        assertThat(usage.latencyMs()).isEqualTo(12.5);
        assertThat(usage.computeUnits()).isEqualTo(4);
        assertThat(usage.requestBytes()).isZero();
    }

    @Test
    void anEventWithoutStatusOrTenantIsUnusable() {
        assertThatIllegalArgumentException().isThrownBy(() -> UsageRecorded.from(
                new EventEnvelope("e2", "usage.recorded", tenant, Instant.now(), Map.of("computeUnits", 1))));
        assertThatIllegalArgumentException().isThrownBy(() -> UsageRecorded.from(
                new EventEnvelope("e3", "usage.recorded", null, Instant.now(), Map.of("status", 200))));
        assertThatIllegalArgumentException().isThrownBy(() -> UsageRecorded.from(
                new EventEnvelope("e4", "usage.recorded", tenant, Instant.now(), Map.of("status", "ok"))));
    }
}
