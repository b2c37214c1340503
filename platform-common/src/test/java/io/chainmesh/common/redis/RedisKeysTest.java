package io.chainmesh.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private static final UUID TENANT = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    @Test
    void everyKeyOfATenantSharesItsHashTag() {
        String tag = "{tenant:00000000-0000-0000-0000-00000000000a}";

        assertThat(RedisKeys.rateLimit(TENANT)).isEqualTo(tag + ":rl");
        assertThat(RedisKeys.computeUnits(TENANT, YearMonth.of(2026, 3))).isEqualTo(tag + ":cu:202603");
        assertThat(RedisKeys.tenantContext(TENANT)).isEqualTo(tag + ":ctx");
        assertThat(RedisKeys.node(TENANT, TENANT)).startsWith(tag + ":rpc:");
    }

    @Test
    void anApiKeyIsTaggedByItsHash() {
        assertThat(RedisKeys.apiKey("ab12")).isEqualTo("{apikey:ab12}");
    }
}
