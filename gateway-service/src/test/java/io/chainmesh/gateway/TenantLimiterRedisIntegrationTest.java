package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.chainmesh.common.redis.RedisKeys;
import io.chainmesh.gateway.auth.PlanLimits;
import io.chainmesh.gateway.limits.LimitDecision;
import io.chainmesh.gateway.limits.LimitDecision.Outcome;
import io.chainmesh.gateway.limits.TenantLimiter;

/** The token-bucket + quota Lua script against real Redis (127.0.0.1:6379), on an explicit clock. */
class TenantLimiterRedisIntegrationTest {

    private static final long T0 = Instant.parse("2031-03-15T12:00:00Z").toEpochMilli();
    private static LettuceConnectionFactory factory;
    private static ReactiveStringRedisTemplate redis;
    private static TenantLimiter limiter;

    @BeforeAll
    static void connect() {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        factory.afterPropertiesSet();
        factory.start();
        redis = new ReactiveStringRedisTemplate(factory);
        limiter = new TenantLimiter(redis, Clock.systemUTC());
    }

    @AfterAll
    static void disconnect() {
        factory.destroy();
    }

    private static LimitDecision admit(UUID tenant, PlanLimits limits, long at) {
        return limiter.admit(tenant, limits, 1, true, at).block();
    }

    @Test
    void allowsTheBurstThenRefusesUntilATokenHasRefilled() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(1.0, 3, null);

        assertThat(admit(tenant, limits, T0).remaining()).isEqualTo(2);
        assertThat(admit(tenant, limits, T0).remaining()).isEqualTo(1);
        assertThat(admit(tenant, limits, T0).remaining()).isEqualTo(0);
        LimitDecision refused = admit(tenant, limits, T0);
        LimitDecision stillRefused = admit(tenant, limits, T0 + 600);
        LimitDecision again = admit(tenant, limits, T0 + 1000);

        assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(refused.retryAfterMillis()).isEqualTo(1000);
        assertThat(refused.resetMillis()).isEqualTo(3000);
        assertThat(stillRefused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(stillRefused.retryAfterMillis()).isEqualTo(400);
        assertThat(again.outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(again.remaining()).isEqualTo(0);
    }

    @Test
    void refillsAtTheRateButNeverBeyondTheBurst() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(10.0, 5, null);
        for (int i = 0; i < 5; i++) {
            admit(tenant, limits, T0);
        }

        assertThat(admit(tenant, limits, T0 + 250).remaining()).isEqualTo(1); // 2.5 back, one taken
        assertThat(admit(tenant, limits, T0 + 3_600_000).remaining()).isEqualTo(4); // full (5), one taken
    }

    @Test
    void handlesFractionalRates() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(0.5, 1, null);

        assertThat(admit(tenant, limits, T0).outcome()).isEqualTo(Outcome.ADMITTED);
        LimitDecision refused = admit(tenant, limits, T0 + 500);

        assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(refused.retryAfterMillis()).isEqualTo(1500);
        assertThat(admit(tenant, limits, T0 + 2000).outcome()).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void aClockGoingBackwardsRefillsNothing() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(1.0, 1, null);

        assertThat(admit(tenant, limits, T0).outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(admit(tenant, limits, T0 - 10_000).outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(admit(tenant, limits, T0 + 1000).outcome()).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void countsComputeUnitsPerUtcMonthAndRefusesOverTheQuotaWithoutTakingATokenOrCounting() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(100.0, 100, 5L);

        LimitDecision first = limiter.admit(tenant, limits, 3, true, T0).block();
        LimitDecision second = limiter.admit(tenant, limits, 2, true, T0).block();
        LimitDecision over = limiter.admit(tenant, limits, 1, true, T0).block();
        LimitDecision nextMonth = limiter.admit(tenant, limits, 1, true,
                Instant.parse("2031-04-01T00:00:00Z").toEpochMilli()).block();

        assertThat(first.computeUnitsUsed()).isEqualTo(3);
        assertThat(second.outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(second.computeUnitsUsed()).isEqualTo(5);
        assertThat(over.outcome()).isEqualTo(Outcome.QUOTA_EXCEEDED);
        assertThat(over.computeUnitsUsed()).isEqualTo(5);
        assertThat(over.remaining()).isEqualTo(98);
        assertThat(nextMonth.outcome()).isEqualTo(Outcome.ADMITTED);
        String march = RedisKeys.computeUnits(tenant, YearMonth.of(2031, 3));
        assertThat(march).isEqualTo("{tenant:" + tenant + "}:cu:203103");
        assertThat(redis.opsForValue().get(march).block()).isEqualTo("5");
        assertThat(redis.getExpire(march).block()).isBetween(
                RedisKeys.COMPUTE_UNITS_RETENTION.minus(Duration.ofMinutes(1)), RedisKeys.COMPUTE_UNITS_RETENTION);
    }

    @Test
    void aRateLimitedRequestIsNotCharged() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(1.0, 1, 100L);

        admit(tenant, limits, T0);
        LimitDecision refused = admit(tenant, limits, T0);

        assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(refused.computeUnitsUsed()).isEqualTo(1);
    }

    @Test
    void onlyMetersWhenNotEnforcingOrWithoutLimits() {
        UUID tenant = UUID.randomUUID();
        PlanLimits tight = new PlanLimits(1.0, 1, 1L);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit(tenant, tight, 1, false, T0).block().outcome()).isEqualTo(Outcome.ADMITTED);
        }
        assertThat(limiter.admit(tenant, PlanLimits.NONE, 1, true, T0).block().computeUnitsUsed()).isEqualTo(4);
    }

    @Test
    void withoutAGivenTimeTheBucketRunsOnTheRedisClockAndUnitsGoToTheGatewayClocksMonth() {
        UUID tenant = UUID.randomUUID();
        PlanLimits limits = new PlanLimits(1.0, 2, null);
        TenantLimiter lastSecondOfMay = new TenantLimiter(redis,
                Clock.fixed(Instant.parse("2031-05-31T23:59:59Z"), ZoneOffset.UTC));

        assertThat(lastSecondOfMay.admit(tenant, limits, 1, true).block().remaining()).isEqualTo(1);
        assertThat(lastSecondOfMay.admit(tenant, limits, 1, true).block().remaining()).isEqualTo(0);
        assertThat(lastSecondOfMay.admit(tenant, limits, 1, true).block().outcome()).isEqualTo(Outcome.RATE_LIMITED);
        String bucket = RedisKeys.rateLimit(tenant);
        assertThat(bucket).isEqualTo("{tenant:" + tenant + "}:rl");
        // Refill time of the burst plus a second, from the Redis clock's now.
        assertThat(redis.getExpire(bucket).block()).isBetween(Duration.ofMillis(1), Duration.ofSeconds(3));
        assertThat(redis.opsForValue().get(RedisKeys.computeUnits(tenant, YearMonth.of(2031, 5))).block())
                .isEqualTo("2");
    }
}
