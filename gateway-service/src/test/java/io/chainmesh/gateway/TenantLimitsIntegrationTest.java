package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.chainmesh.common.redis.RedisKeys;
import io.chainmesh.gateway.web.GatewayProblems;

class TenantLimitsIntegrationTest extends GatewayIntegrationTestSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void refusesRequestsBeyondTheBurstWith429AndRateLimitHeaders() {
        // 0.2 requests/s: the test cannot be slow enough for a token to come back.
        TestKey key = newKey(List.of("read"), "active", limits(0.2, 2, 1_000_000));

        HttpResponse<String> first = get("/v1/wallets", "X-API-Key", key.key());
        HttpResponse<String> second = get("/v1/wallets", "X-API-Key", key.key());
        HttpResponse<String> third = get("/v1/wallets", "X-API-Key", key.key());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("2");
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("1");
        assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("2;w=10");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(third)).containsEntry("code", GatewayProblems.RATE_LIMITED)
                .containsEntry("type", "https://chainmesh.dev/problems/rate-limited");
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(Integer.parseInt(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 5);
        assertThat(third.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(third.headers().firstValue("RateLimit-Reset")).isPresent();
    }

    @Test
    void countsOneComputeUnitPerRequestAndRefusesBeyondTheMonthlyQuota() {
        TestKey key = newKey(List.of("read"), "active", limits(1000, 1000, 2));

        HttpResponse<String> first = get("/v1/wallets", "X-API-Key", key.key());
        HttpResponse<String> second = get("/v1/wallets", "X-API-Key", key.key());
        HttpResponse<String> third = get("/v1/wallets", "X-API-Key", key.key());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(json(third)).containsEntry("code", GatewayProblems.QUOTA_EXCEEDED)
                .containsEntry("type", "https://chainmesh.dev/problems/quota-exceeded");
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        String counter = RedisKeys.computeUnits(key.tenantId(), YearMonth.now(ZoneOffset.UTC));
        assertThat(redis.opsForValue().get(counter)).isEqualTo("2");
        long retention = RedisKeys.COMPUTE_UNITS_RETENTION.toSeconds();
        assertThat(redis.getExpire(counter)).isBetween(retention - 60, retention);
    }
}
