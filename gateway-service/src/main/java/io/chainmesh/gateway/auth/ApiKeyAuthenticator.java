package io.chainmesh.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.redis.RedisKeys;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.redis.RedisFailures;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;

/**
 * Turns an API key into a {@link Caller}. Hot path: a lookup in this instance's memory; behind it one Redis GET of
 * {@code {apikey:<sha256>}}; behind that tenant-service, whose answer (valid or not) is cached in Redis. A verification
 * read from Redis is kept in memory (Caffeine, at most {@code local-key-cache-max-entries}, 10,000) for
 * {@code local-key-cache-ttl} (1 s), with its caller built once, and the Redis entry lives {@code key-cache-ttl}
 * minus that (4 s), so a revoked key stops working within {@code key-cache-ttl} (5 s) at worst; tenant-service also
 * deletes the Redis entry on revoke, which leaves only the in-memory second. The memory tier saves a busy key a Redis
 * round trip, two thread hand-offs and a JSON parse per request. Concurrent misses for one key share one
 * verification call. A key that fails the format/checksum check is rejected without any lookup. If Redis is down the
 * key is verified by tenant-service on every request and nothing is kept in memory (only Redis hits are), so
 * revocation is immediate then (see {@link RedisFailures}).
 */
@Component
class ApiKeyAuthenticator {

    private final ReactiveStringRedisTemplate redis;
    private final RedisFailures redisFailures;
    private final TenantServiceClient tenantService;
    private final Clock clock;
    private final Duration cacheTtl;
    /** The memory tier; {@code null} when {@code local-key-cache-ttl} is 0. */
    private final Cache<String, Remembered> remembered;
    /** Verifications under way, so concurrent misses of one key share one call; each entry lives as long as its call. */
    private final Map<String, Mono<KeyVerification>> inFlight = new ConcurrentHashMap<>();

    /**
     * A verification read from Redis, kept in this instance's memory, with the caller it admits built once
     * ({@code null} when it admits nobody).
     */
    private record Remembered(KeyVerification verification, Caller caller) {
    }

    ApiKeyAuthenticator(ReactiveStringRedisTemplate redis, RedisFailures redisFailures,
            TenantServiceClient tenantService, Clock clock, Ticker ticker, GatewayProperties properties) {
        this.redis = redis;
        this.redisFailures = redisFailures;
        this.tenantService = tenantService;
        this.clock = clock;
        GatewayProperties.Auth auth = properties.auth();
        this.remembered = auth.localKeyCacheTtl().isZero() ? null : Caffeine.newBuilder()
                .maximumSize(auth.localKeyCacheMaxEntries())
                .expireAfterWrite(auth.localKeyCacheTtl())
                .ticker(ticker)
                .build();
        // The Redis entry gets what the memory tier leaves of the bound (at least a second).
        Duration rest = auth.keyCacheTtl().minus(auth.localKeyCacheTtl());
        this.cacheTtl = rest.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : rest;
    }

    Mono<Caller> authenticate(String key) {
        if (!ApiKeyFormat.isWellFormed(key)) {
            return Mono.error(invalid("The API key is malformed.", "malformed"));
        }
        String hash = ApiKeyFormat.hash(key);
        Remembered known = remembered == null ? null : remembered.getIfPresent(hash);
        if (known != null) {
            return admit(known);
        }
        String cacheKey = RedisKeys.apiKey(hash);
        return redisFailures.guard("api_key_cache", redis.opsForValue().get(cacheKey))
                .map(json -> remember(hash, TenantServiceClient.JSON.readValue(json, KeyVerification.class)))
                .switchIfEmpty(Mono.defer(() -> verify(key, hash, cacheKey).map(ApiKeyAuthenticator::remembered)))
                .flatMap(this::admit);
    }

    private Remembered remember(String hash, KeyVerification verification) {
        Remembered known = remembered(verification);
        if (remembered != null) {
            remembered.put(hash, known);
        }
        return known;
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

    /** The remembered caller while the key has not expired (checked on every use), else the refusal. */
    private Mono<Caller> admit(Remembered known) {
        Instant expiresAt = known.verification().expiresAt();
        if (known.caller() != null && (expiresAt == null || expiresAt.isAfter(clock.instant()))) {
            return Mono.just(known.caller());
        }
        return Mono.error(refusalOf(known.verification()));
    }

    private static Remembered remembered(KeyVerification v) {
        if (!v.valid() || !TenantStatus.isActive(v.tenantStatus())) {
            return new Remembered(v, null);
        }
        Set<String> scopes = v.scopes() == null ? Set.of() : Set.copyOf(v.scopes());
        Identity identity = new Identity(v.tenantId(), "key:" + v.keyId(), scopes, v.plan(), v.keyId());
        return new Remembered(v, new Caller(identity, v.limits() == null ? PlanLimits.NONE : v.limits()));
    }

    /** Why {@code v} admits nobody now; built per refusal, as exceptions are not shared between requests. */
    private ApiException refusalOf(KeyVerification v) {
        if (!v.valid()) {
            String reason = v.reason() == null ? "unknown" : v.reason();
            return invalid(switch (reason) {
                case "revoked" -> "The API key has been revoked.";
                case "expired" -> "The API key has expired.";
                default -> "The API key is not valid.";
            }, reason);
        }
        if (v.expiresAt() != null && !v.expiresAt().isAfter(clock.instant())) {
            return invalid("The API key has expired.", "expired");
        }
        return TenantStatus.refusal(v.tenantStatus());
    }

    private static ApiException invalid(String detail, String reason) {
        return ApiException.unauthorized(GatewayProblems.INVALID_API_KEY, detail).with("reason", reason);
    }
}
