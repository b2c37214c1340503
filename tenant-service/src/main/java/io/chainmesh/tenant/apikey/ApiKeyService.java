package io.chainmesh.tenant.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.tenant.ErrorCode;
import io.chainmesh.tenant.TenantProperties;
import io.chainmesh.tenant.apikey.ApiKeyDtos.ApiKeyView;
import io.chainmesh.tenant.apikey.ApiKeyDtos.CreateApiKeyRequest;
import io.chainmesh.tenant.apikey.ApiKeyDtos.CreatedApiKey;
import io.chainmesh.tenant.apikey.ApiKeyDtos.Invalid;
import io.chainmesh.tenant.apikey.ApiKeyDtos.Valid;
import io.chainmesh.tenant.apikey.ApiKeyDtos.VerifyResult;
import io.chainmesh.tenant.cache.GatewayCache;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.tenant.plan.Plan;
import io.chainmesh.tenant.plan.PlanCatalogue;
import io.chainmesh.tenant.tenant.Tenant;
import io.chainmesh.tenant.tenant.TenantRepository;

/** Issues, lists, revokes and verifies a tenant's API keys. */
@Service
class ApiKeyService {

    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final PlanCatalogue plans;
    private final ApiKeyEvents events;
    private final GatewayCache gatewayCache;
    private final TenantProperties.ApiKeys settings;
    private final Clock clock;

    ApiKeyService(ApiKeyRepository keys, TenantRepository tenants, PlanCatalogue plans, ApiKeyEvents events,
            GatewayCache gatewayCache, TenantProperties properties, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.plans = plans;
        this.events = events;
        this.gatewayCache = gatewayCache;
        this.settings = properties.apiKeys();
        this.clock = clock;
    }

    /**
     * @param callerScopes what the caller holds: a key never gets a scope its creator lacks, so a key
     *                     with {@code keys} cannot mint itself a more powerful sibling
     */
    @Transactional
    CreatedApiKey create(UUID tenantId, Set<String> callerScopes, CreateApiKeyRequest request) {
        List<String> scopes = ApiKeyScopes.normalise(request.scopes() == null ? settings.defaultScopes() : request.scopes());
        List<String> notHeld = scopes.stream().filter(s -> !callerScopes.contains(s)).toList();
        if (!notHeld.isEmpty()) {
            throw ErrorCode.SCOPE_NOT_HELD.exception("Cannot give a key scopes the caller does not hold: " + notHeld)
                    .with("field", "scopes");
        }
        // the tenant row lock serialises concurrent creations, so the cap below cannot be overshot
        tenants.findForUpdate(tenantId).orElseThrow(() -> ErrorCode.notFound("Tenant", tenantId));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (keys.countUsable(tenantId, now) >= settings.maxActivePerTenant()) {
            throw ErrorCode.API_KEY_LIMIT_REACHED.exception("A tenant can hold at most "
                    + settings.maxActivePerTenant() + " active API keys; revoke one first")
                    .with("limit", settings.maxActivePerTenant());
        }
        String secret = ApiKeyFormat.generate();
        ApiKey key = new ApiKey(UUID.randomUUID(), tenantId, request.name().trim(), ApiKeyFormat.hash(secret),
                ApiKeyFormat.displayPrefix(secret), scopes, now,
                request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS), null, null);
        keys.insert(key);
        events.created(key);
        return new CreatedApiKey(key.id(), key.name(), key.prefix(), key.scopes(), key.createdAt(), key.expiresAt(),
                secret);
    }

    Page<ApiKeyView> list(UUID tenantId, PageCursor after, int limit) {
        return Page.of(keys.page(tenantId, after, limit), limit, k -> new PageCursor(k.createdAt(), k.id()),
                ApiKeyView::of);
    }

    /** Revoking twice is fine (DELETE is idempotent); the event is published once. */
    @Transactional
    void revoke(UUID tenantId, UUID keyId) {
        ApiKey key = keys.find(tenantId, keyId).orElseThrow(() -> ErrorCode.notFound("API key", keyId));
        if (keys.revoke(tenantId, keyId, clock.instant())) {
            events.revoked(key);
            gatewayCache.evictApiKey(key.keyHash());
        }
    }

    VerifyResult verify(String presented) {
        // the checksum rejects typos and made-up keys without touching the database
        if (!ApiKeyFormat.isWellFormed(presented)) {
            return Invalid.UNKNOWN;
        }
        ApiKey key = keys.findByHash(ApiKeyFormat.hash(presented)).orElse(null);
        if (key == null) {
            return Invalid.UNKNOWN;
        }
        if (key.isRevoked()) {
            return Invalid.REVOKED;
        }
        Instant now = clock.instant();
        if (key.isExpiredAt(now)) {
            return Invalid.EXPIRED;
        }
        Tenant tenant = tenants.find(key.tenantId()).orElse(null);
        if (tenant == null) {
            return Invalid.UNKNOWN;
        }
        Plan plan = plans.require(tenant.planId());
        keys.touch(key.tenantId(), key.id(), now, LAST_USED_RESOLUTION);
        return new Valid(key.id(), tenant.id(), key.scopes(), plan.id(), tenant.status(), key.expiresAt(), plan.limits());
    }
}
