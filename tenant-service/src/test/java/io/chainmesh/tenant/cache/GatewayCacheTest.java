package io.chainmesh.tenant.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;

import org.junit.jupiter.api.Test;

class GatewayCacheTest {

    @Test
    void billingPeriodIsTheUtcMonth() {
        assertThat(GatewayCache.periodOf(Instant.parse("2026-03-31T23:59:59Z"))).isEqualTo(YearMonth.of(2026, 3));
        assertThat(GatewayCache.periodOf(Instant.parse("2026-04-01T00:00:00Z"))).isEqualTo(YearMonth.of(2026, 4));
    }
}
