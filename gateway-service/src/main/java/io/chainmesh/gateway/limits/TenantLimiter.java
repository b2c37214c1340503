package io.chainmesh.gateway.limits;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.chainmesh.gateway.auth.PlanLimits;
import reactor.core.publisher.Mono;

/**
 * Per-tenant token bucket and monthly compute-unit quota, decided together by one Lua script in one EVALSHA so the
 * hot path costs one Redis round trip and the two can never disagree (a request refused by one is not charged by the
 * other). Keys: {@code {tenant:<id>}:rl} and {@code {tenant:<id>}:cu:<yyyyMM>} (UTC month). In production the script
 * reads Redis's clock (one clock for all gateway instances); tests pass an explicit one.
 *
 * <p>Errors are not handled here: the caller decides what a Redis failure means (the gateway fails open).
 */
public class TenantLimiter {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");
    // Loaded once as text: a resource-backed script re-checks the resource's last-modified time on every
    // EVALSHA, which inside a packaged jar opens a jar URL connection per request (seen in a JFR profile).
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final RedisScript<List<Long>> SCRIPT = (RedisScript) RedisScript.of(loadScript(), List.class);

    private static String loadScript() {
        try (var in = new ClassPathResource("scripts/tenant-limits.lua").getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("scripts/tenant-limits.lua is missing from the classpath", e);
        }
    }

    private final ReactiveStringRedisTemplate redis;
    private final Clock clock;
    private final long computeUnitTtlSeconds;

    public TenantLimiter(ReactiveStringRedisTemplate redis, Clock clock, java.time.Duration computeUnitRetention) {
        this.redis = redis;
        this.clock = clock;
        this.computeUnitTtlSeconds = computeUnitRetention.toSeconds();
    }

    public static String bucketKey(UUID tenantId) {
        return "{tenant:" + tenantId + "}:rl";
    }

    public static String computeUnitKey(UUID tenantId, YearMonth month) {
        return "{tenant:" + tenantId + "}:cu:" + month.format(MONTH);
    }

    /** Admission on Redis's clock. */
    public Mono<LimitDecision> admit(UUID tenantId, PlanLimits limits, int computeUnits, boolean enforce) {
        return admit(tenantId, limits, computeUnits, 1, enforce, 0);
    }

    /** Admission on Redis's clock taking {@code tokens} from the bucket (a JSON-RPC batch: one per call). */
    public Mono<LimitDecision> admit(UUID tenantId, PlanLimits limits, int computeUnits, int tokens,
            boolean enforce) {
        return admit(tenantId, limits, computeUnits, tokens, enforce, 0);
    }

    public Mono<LimitDecision> admit(UUID tenantId, PlanLimits limits, int computeUnits, boolean enforce,
            long nowMillis) {
        return admit(tenantId, limits, computeUnits, 1, enforce, nowMillis);
    }

    /**
     * @param enforce   {@code false}: only count compute units, never refuse
     * @param nowMillis the time to decide at; {@code <= 0} for Redis's clock
     */
    public Mono<LimitDecision> admit(UUID tenantId, PlanLimits limits, int computeUnits, int tokens,
            boolean enforce, long nowMillis) {
        double rate = enforce && limits.requestsPerSecond() != null ? limits.requestsPerSecond() : -1;
        long burst = limits.burst() != null ? limits.burst() : (long) Math.ceil(Math.max(rate, 1));
        long quota = enforce && limits.monthlyComputeUnits() != null ? limits.monthlyComputeUnits() : -1;
        YearMonth month = nowMillis > 0
                ? YearMonth.from(java.time.Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC))
                : YearMonth.now(clock.withZone(ZoneOffset.UTC));
        List<String> keys = List.of(bucketKey(tenantId), computeUnitKey(tenantId, month));
        List<String> args = List.of(Double.toString(rate), Long.toString(burst), Long.toString(nowMillis),
                Integer.toString(computeUnits), Long.toString(quota), Long.toString(computeUnitTtlSeconds),
                Integer.toString(Math.max(1, tokens)));
        return redis.execute(SCRIPT, keys, args)
                .reduce(new ArrayList<Long>(), (all, part) -> {
                    all.addAll(part);
                    return all;
                })
                .map(result -> new LimitDecision(LimitDecision.Outcome.values()[result.get(0).intValue()], rate > 0,
                        result.get(1), result.get(2), result.get(3), result.get(4)));
    }
}
