package io.chainmesh.gateway.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import io.chainmesh.common.redis.RedisKeys;
import io.chainmesh.gateway.auth.PlanLimits;
import reactor.core.publisher.Mono;

/**
 * Per-tenant token bucket and monthly compute-unit quota, decided together by one Lua script in one EVALSHA so the
 * hot path costs one Redis round trip and the two can never disagree (a request refused by one is not charged by the
 * other). Keys, from {@link RedisKeys}: {@code {tenant:<id>}:rl} and {@code {tenant:<id>}:cu:<yyyyMM>} (UTC month,
 * kept {@link RedisKeys#COMPUTE_UNITS_RETENTION} after its first use). In production the script reads Redis's clock
 * (one clock for all gateway instances); tests pass an explicit one.
 *
 * <p>Errors are not handled here: the caller decides what a Redis failure means (the gateway fails open).
 */
@Component
public class TenantLimiter {

    private static final long COMPUTE_UNIT_TTL_SECONDS = RedisKeys.COMPUTE_UNITS_RETENTION.toSeconds();
    // Loaded once as text: a resource-backed script re-checks the resource's last-modified time on every
    // EVALSHA, which inside a packaged jar opens a jar URL connection per request.
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final RedisScript<List<Long>> SCRIPT = (RedisScript) RedisScript.of(loadScript(), List.class);

    private static String loadScript() {
        try (InputStream in = new ClassPathResource("scripts/tenant-limits.lua").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("scripts/tenant-limits.lua is missing from the classpath", e);
        }
    }

    private final ReactiveStringRedisTemplate redis;
    /** The gateway's clock in UTC, which names the month whose counter a request is charged to. */
    private final Clock utc;

    public TenantLimiter(ReactiveStringRedisTemplate redis, Clock clock) {
        this.redis = redis;
        this.utc = clock.withZone(ZoneOffset.UTC);
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
        YearMonth month = nowMillis > 0 ? YearMonth.from(Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC))
                : YearMonth.now(utc);
        List<String> keys = List.of(RedisKeys.rateLimit(tenantId), RedisKeys.computeUnits(tenantId, month));
        List<String> args = List.of(Double.toString(rate), Long.toString(burst), Long.toString(nowMillis),
                Integer.toString(computeUnits), Long.toString(quota), Long.toString(COMPUTE_UNIT_TTL_SECONDS),
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
