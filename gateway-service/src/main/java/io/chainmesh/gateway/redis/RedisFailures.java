package io.chainmesh.gateway.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.chainmesh.gateway.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * What the gateway does when Redis fails: it keeps serving. Every Redis command on the request path goes through
 * {@link #guard}, which bounds its latency to {@code chainmesh.gateway.redis-timeout} and turns any failure into an
 * empty result after counting it in {@code chainmesh_gateway_redis_failures_total{operation}}. Each caller decides
 * what "empty" means: a cache miss (go to tenant-service), or "not limited" (fail open). See the README section
 * "When Redis is down".
 */
@Component
public class RedisFailures {

    private static final Logger log = LoggerFactory.getLogger(RedisFailures.class);
    private static final long LOG_EVERY_MILLIS = 10_000;

    private final MeterRegistry registry;
    private final Duration timeout;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile long lastLoggedAt;

    public RedisFailures(MeterRegistry registry, GatewayProperties properties) {
        this.registry = registry;
        this.timeout = properties.redisTimeout();
    }

    /** {@code command} bounded by the Redis timeout; on any failure it is counted and completes empty. */
    public <T> Mono<T> guard(String operation, Mono<T> command) {
        return command.timeout(timeout).onErrorResume(error -> {
            record(operation, error);
            return Mono.empty();
        });
    }

    public void record(String operation, Throwable error) {
        counters.computeIfAbsent(operation, op -> Counter.builder("chainmesh.gateway.redis.failures")
                .description("Redis commands that failed or timed out; the gateway failed open or fell back")
                .tag("operation", op)
                .register(registry)).increment();
        long now = System.currentTimeMillis();
        // A dead Redis fails every request: log the state change, not every failure.
        if (now - lastLoggedAt > LOG_EVERY_MILLIS) {
            lastLoggedAt = now;
            log.warn("Redis {} failed ({}); continuing without it", operation, error.toString());
        }
    }
}
