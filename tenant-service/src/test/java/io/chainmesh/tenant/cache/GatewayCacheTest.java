package io.chainmesh.tenant.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class GatewayCacheTest {

    private static final UUID TENANT = UUID.fromString("6a0f7c1e-3b0f-4e53-9f3e-0d7e3f1c2b11");

    @Test
    void keysMatchTheLayoutTheGatewayReads() {
        assertThat(GatewayCache.apiKeyKey("abc123")).isEqualTo("{apikey:abc123}");
        assertThat(GatewayCache.tenantContextKey(TENANT)).isEqualTo("{tenant:" + TENANT + "}:ctx");
        assertThat(GatewayCache.computeUnitsKey(TENANT, YearMonth.of(2026, 3))).isEqualTo("{tenant:" + TENANT + "}:cu:202603");
    }

    @Test
    void billingPeriodIsTheUtcMonth() {
        assertThat(GatewayCache.periodOf(Instant.parse("2026-03-31T23:59:59Z"))).isEqualTo(YearMonth.of(2026, 3));
        assertThat(GatewayCache.periodOf(Instant.parse("2026-04-01T00:00:00Z"))).isEqualTo(YearMonth.of(2026, 4));
    }
}
