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
 * Turns an API key into a {@link Caller}. Hot path: one Redis GET of {@code {apikey:<sha256>}}. On a miss, tenant-service
 * verifies the key and the answer (valid or not) is cached for {@code key-cache-ttl} (5 s), which bounds how long a
 * revoked key keeps working; tenant-service also deletes the entry on revoke. Concurrent misses for one key share one
 * verification call. A key that fails the format/checksum check is rejected without any lookup. If Redis is down the
 * key is verified by tenant-service on every request (see {@link RedisFailures}).
 */
@Component
class ApiKeyAuthenticator {

    private final ReactiveStringRedisTemplate redis;
    private final RedisFailures redisFailures;
    private final TenantServiceClient tenantService;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Mono<KeyVerification>> inFlight = new ConcurrentHashMap<>();

    ApiKeyAuthenticator(ReactiveStringRedisTemplate redis, RedisFailures redisFailures,
            TenantServiceClient tenantService, Clock clock, GatewayProperties properties) {
        this.redis = redis;
        this.redisFailures = redisFailures;
        this.tenantService = tenantService;
        this.clock = clock;
        this.cacheTtl = properties.auth().keyCacheTtl();
    }

    static String cacheKey(String keyHash) {
        return "{apikey:" + keyHash + "}";
    }

    Mono<Caller> authenticate(String key) {
        if (!ApiKeyFormat.isWellFormed(key)) {
            return Mono.error(invalid("The API key is malformed.", "malformed"));
        }
        String hash = ApiKeyFormat.hash(key);
        String cacheKey = cacheKey(hash);
        return redisFailures.guard("api_key_cache", redis.opsForValue().get(cacheKey))
                .map(json -> TenantServiceClient.JSON.readValue(json, KeyVerification.class))
                .switchIfEmpty(Mono.defer(() -> verify(key, hash, cacheKey)))
                .map(this::toCaller);
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
