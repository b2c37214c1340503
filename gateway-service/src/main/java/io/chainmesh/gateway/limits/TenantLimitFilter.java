package io.chainmesh.gateway.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.auth.Caller;
import io.chainmesh.gateway.auth.PlanLimits;
import io.chainmesh.gateway.redis.RedisFailures;
import io.chainmesh.gateway.rpc.RpcCost;
import io.chainmesh.gateway.web.FilterOrder;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;

/**
 * Applies the tenant's rate limit and monthly compute-unit quota to every authenticated request and meters the
 * compute units it costs. Sends {@code RateLimit-Limit/Remaining/Reset/Policy} (IETF draft
 * "RateLimit header fields for HTTP") and, on refusal, 429 with {@code Retry-After}: code {@code rate_limited} for
 * the bucket, {@code quota_exceeded} for the month's units. When Redis fails the request is admitted unlimited and
 * unmetered (fail open, counted in {@code chainmesh_gateway_redis_failures_total{operation="tenant_limits"}}): an
 * outage of our cache must not become an outage of our customers' API.
 */
@Component
public class TenantLimitFilter implements GlobalFilter, Ordered {

    /** Compute units charged for this request, read by usage metering. */
    public static final String COMPUTE_UNITS_ATTRIBUTE = "chainmesh.computeUnits";

    private final TenantLimiter limiter;
    private final RedisFailures redisFailures;
    private final GatewayProperties.Limits config;
    private final Clock clock;

    TenantLimitFilter(TenantLimiter limiter, RedisFailures redisFailures, GatewayProperties properties, Clock clock) {
        this.limiter = limiter;
        this.redisFailures = redisFailures;
        this.config = properties.limits();
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = exchange.getAttribute(Caller.ATTRIBUTE);
        if (caller == null || !caller.isTenant()) {
            return chain.filter(exchange);
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        // JSON-RPC requests carry their own price, computed from the methods in the body (the rpc route's RpcMetering).
        RpcCost rpc = exchange.getAttribute(RpcCost.ATTRIBUTE);
        int computeUnits = rpc != null ? rpc.computeUnits() : config.computeUnitsFor(route == null ? null : route.getId());
        int tokens = rpc != null ? rpc.calls() : 1;
        PlanLimits limits = caller.limits();
        return redisFailures.guard("tenant_limits",
                        limiter.admit(caller.identity().tenantId(), limits, computeUnits, tokens, config.enabled()))
                .map(decision -> apply(exchange, decision, limits, computeUnits))
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    exchange.getAttributes().put(COMPUTE_UNITS_ATTRIBUTE, computeUnits);
                    return Boolean.TRUE;
                }))
                .flatMap(admitted -> chain.filter(exchange));
    }

    private Boolean apply(ServerWebExchange exchange, LimitDecision decision, PlanLimits limits, int computeUnits) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        if (decision.rateLimited()) {
            long burst = limits.burst() != null ? limits.burst() : (long) Math.ceil(limits.requestsPerSecond());
            long window = Math.max(1, (long) Math.ceil(burst / limits.requestsPerSecond()));
            headers.set("RateLimit-Limit", Long.toString(burst));
            headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
            headers.set("RateLimit-Reset", Long.toString(ceilSeconds(decision.resetMillis())));
            headers.set("RateLimit-Policy", burst + ";w=" + window);
        }
        switch (decision.outcome()) {
            case RATE_LIMITED -> {
                long retryAfter = Math.max(1, ceilSeconds(decision.retryAfterMillis()));
                headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
                throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, GatewayProblems.RATE_LIMITED, "Rate limited",
                        "Your plan allows " + limits.requestsPerSecond() + " requests per second (burst "
                                + limits.burst() + "); retry after " + retryAfter + " s.")
                        .with("retryAfterSeconds", retryAfter);
            }
            case QUOTA_EXCEEDED -> {
                long untilNextMonth = secondsUntilNextMonth();
                headers.set(HttpHeaders.RETRY_AFTER, Long.toString(untilNextMonth));
                throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, GatewayProblems.QUOTA_EXCEEDED,
                        "Monthly quota exceeded", "Your plan's " + limits.monthlyComputeUnits()
                                + " compute units for this month are used up; upgrade the plan or wait for next month.")
                        .with("limit", limits.monthlyComputeUnits())
                        .with("used", decision.computeUnitsUsed())
                        .with("retryAfterSeconds", untilNextMonth);
            }
            case ADMITTED -> exchange.getAttributes().put(COMPUTE_UNITS_ATTRIBUTE, computeUnits);
        }
        return Boolean.TRUE;
    }

    private long secondsUntilNextMonth() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        ZonedDateTime next = now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC);
        return Math.max(1, Duration.between(now, next).toSeconds());
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }

    @Override
    public int getOrder() {
        return FilterOrder.TENANT_LIMITS;
    }
}
