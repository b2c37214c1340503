package io.chainmesh.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.redis.RedisFailures;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;

/**
 * Turns an API key into a {@link Caller}. Hot path: a lookup in this instance's memory; behind it one Redis GET of
 * {@code {apikey:<sha256>}}; behind that tenant-service, whose answer (valid or not) is cached in Redis. A verification
 * read from Redis is kept in memory for {@code local-key-cache-ttl} (1 s) and the Redis entry lives
 * {@code key-cache-ttl} minus that (4 s), so a revoked key stops working within {@code key-cache-ttl} (5 s) at worst;
 * tenant-service also deletes the Redis entry on revoke, which leaves only the in-memory second. The memory tier
 * saves a Redis round trip, two thread hand-offs and a JSON parse on every request of a busy key (measured: the
 * largest single cost of the edge's hot path after the proxying itself). Concurrent misses for one key share one
 * verification call. A key that fails the format/checksum check is rejected without any lookup. If Redis is down the
 * key is verified by tenant-service on every request and nothing is kept in memory (see {@link RedisFailures}), so
 * revocation is immediate then.
 */
@Component
class ApiKeyAuthenticator {

    private final ReactiveStringRedisTemplate redis;
    private final RedisFailures redisFailures;
    private final TenantServiceClient tenantService;
    private final Clock clock;
    private final Duration cacheTtl;
    private final long localTtlNanos;
    private final int localMaxEntries;
    private final Map<String, Mono<KeyVerification>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    /** A verification read from Redis, kept in this instance's memory until {@code expiresAt} (nano time). */
    private record Remembered(KeyVerification verification, long expiresAt) {
    }

    ApiKeyAuthenticator(ReactiveStringRedisTemplate redis, RedisFailures redisFailures,
            TenantServiceClient tenantService, Clock clock, GatewayProperties properties) {
        this.redis = redis;
        this.redisFailures = redisFailures;
        this.tenantService = tenantService;
        this.clock = clock;
        GatewayProperties.Auth auth = properties.auth();
        this.localTtlNanos = auth.localKeyCacheTtl().toNanos();
        this.localMaxEntries = auth.localKeyCacheMaxEntries();
        // The Redis entry gets what the memory tier leaves of the bound (at least a second).
        this.cacheTtl = auth.keyCacheTtl().minus(auth.localKeyCacheTtl()).compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : auth.keyCacheTtl().minus(auth.localKeyCacheTtl());
    }

    static String cacheKey(String keyHash) {
        return "{apikey:" + keyHash + "}";
    }

    Mono<Caller> authenticate(String key) {
        if (!ApiKeyFormat.isWellFormed(key)) {
            return Mono.error(invalid("The API key is malformed.", "malformed"));
        }
        String hash = ApiKeyFormat.hash(key);
        Remembered known = remembered.get(hash);
        if (known != null) {
            if (System.nanoTime() - known.expiresAt() < 0) {
                try {
                    return Mono.just(toCaller(known.verification()));
                } catch (ApiException refused) {
                    return Mono.error(refused);
                }
            }
            remembered.remove(hash, known);
        }
        String cacheKey = cacheKey(hash);
        return redisFailures.guard("api_key_cache", redis.opsForValue().get(cacheKey))
                .map(json -> remember(hash, TenantServiceClient.JSON.readValue(json, KeyVerification.class)))
                .switchIfEmpty(Mono.defer(() -> verify(key, hash, cacheKey)))
                .map(this::toCaller);
    }

    private KeyVerification remember(String hash, KeyVerification verification) {
        if (localTtlNanos > 0) {
            if (remembered.size() >= localMaxEntries) {
                // Crude but bounded: a flood of distinct keys only costs Redis lookups until the map refills.
                remembered.clear();
            }
            remembered.put(hash, new Remembered(verification, System.nanoTime() + localTtlNanos));
        }
        return verification;
    }

    private Mono<KeyVerification> verify(String key, String hash, String cacheKey) {
        return inFlight.computeIfAbsent(hash, h -> tenantService.verifyKey(key)
                .doOnNext(verification -> cache(cacheKey, verification))
                .doFinally(signal -> inFlight.remove(h))
                .cache());
    }

    private void cache(String cacheKey, KeyVerification verification) {
        String json = TenantServiceClient.JSON.writeValueAsString(verification);
        // Fire and forget: the caller does not wait for the cache write.
        redisFailures.guard("api_key_cache", redis.opsForValue().set(cacheKey, json, cacheTtl)).subscribe();
    }

    private Caller toCaller(KeyVerification v) {
        if (!v.valid()) {
            String reason = v.reason() == null ? "unknown" : v.reason();
            throw invalid(switch (reason) {
                case "revoked" -> "The API key has been revoked.";
                case "expired" -> "The API key has expired.";
                default -> "The API key is not valid.";
            }, reason);
        }
        if (v.expiresAt() != null && !v.expiresAt().isAfter(clock.instant())) {
            throw invalid("The API key has expired.", "expired");
        }
        TenantStatus.requireActive(v.tenantStatus());
        Set<String> scopes = v.scopes() == null ? Set.of() : Set.copyOf(v.scopes());
        Identity identity = new Identity(v.tenantId(), "key:" + v.keyId(), scopes, v.plan(), v.keyId());
        return new Caller(identity, v.limits() == null ? PlanLimits.NONE : v.limits());
    }

    private static ApiException invalid(String detail, String reason) {
        return ApiException.unauthorized(GatewayProblems.INVALID_API_KEY, detail).with("reason", reason);
    }
}
