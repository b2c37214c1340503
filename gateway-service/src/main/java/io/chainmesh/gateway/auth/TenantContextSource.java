package io.chainmesh.gateway.auth;

import java.time.Duration;
import java.util.UUID;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import io.chainmesh.common.redis.RedisKeys;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.redis.RedisFailures;
import reactor.core.publisher.Mono;

/**
 * A tenant's status and plan limits for JWT callers (API key verification already carries them): Redis
 * {@code {tenant:<id>}:ctx} for {@code tenant-context-cache-ttl}, else tenant-service. tenant-service deletes the
 * entry on suspend, resume and plan change. If Redis is down every lookup goes to tenant-service.
 */
@Component
class TenantContextSource {

    private final ReactiveStringRedisTemplate redis;
    private final RedisFailures redisFailures;
    private final TenantServiceClient tenantService;
    private final Duration ttl;

    TenantContextSource(ReactiveStringRedisTemplate redis, RedisFailures redisFailures,
            TenantServiceClient tenantService, GatewayProperties properties) {
        this.redis = redis;
        this.redisFailures = redisFailures;
        this.tenantService = tenantService;
        this.ttl = properties.auth().tenantContextCacheTtl();
    }

    /** Empty when the tenant does not exist. */
    Mono<TenantContextView> contextOf(UUID tenantId) {
        String key = RedisKeys.tenantContext(tenantId);
        return redisFailures.guard("tenant_context_cache", redis.opsForValue().get(key))
                .map(json -> TenantServiceClient.JSON.readValue(json, TenantContextView.class))
                .switchIfEmpty(Mono.defer(() -> tenantService.tenantContext(tenantId)
                        .doOnNext(context -> redisFailures.guard("tenant_context_cache", redis.opsForValue()
                                .set(key, TenantServiceClient.JSON.writeValueAsString(context), ttl)).subscribe())));
    }
}
