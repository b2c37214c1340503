package io.chainmesh.tenant.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.chainmesh.tenant.ErrorCode;
import io.chainmesh.tenant.admin.AdminDtos.TenantDetail;
import io.chainmesh.tenant.admin.AdminDtos.TenantSummary;
import io.chainmesh.tenant.admin.AdminDtos.UserSummary;
import io.chainmesh.tenant.apikey.ApiKeyInventory;
import io.chainmesh.tenant.cache.GatewayCache;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.tenant.plan.Plan;
import io.chainmesh.tenant.plan.PlanCatalogue;
import io.chainmesh.tenant.tenant.Tenant;
import io.chainmesh.tenant.tenant.TenantEvents;
import io.chainmesh.tenant.tenant.TenantRepository;
import io.chainmesh.tenant.tenant.TenantStatus;
import io.chainmesh.tenant.user.UserRepository;

/**
 * What operators do to tenants. Every change publishes its event and makes the gateway drop its cached
 * view of the tenant (context and keys), so a suspension bites within seconds, not at cache expiry.
 */
@Service
class AdminService {

    private final TenantRepository tenants;
    private final UserRepository users;
    private final PlanCatalogue plans;
    private final TenantEvents events;
    private final GatewayCache gatewayCache;
    private final ApiKeyInventory apiKeys;
    private final Clock clock;

    AdminService(TenantRepository tenants, UserRepository users, PlanCatalogue plans, TenantEvents events,
            GatewayCache gatewayCache, ApiKeyInventory apiKeys, Clock clock) {
        this.tenants = tenants;
        this.users = users;
        this.plans = plans;
        this.events = events;
        this.gatewayCache = gatewayCache;
        this.apiKeys = apiKeys;
        this.clock = clock;
    }

    Page<TenantSummary> list(TenantStatus status, PageCursor after, int limit) {
        return Page.of(tenants.pageForOperator(status, after, limit), limit, t -> new PageCursor(t.createdAt(), t.id()),
                TenantSummary::of);
    }

    TenantDetail detail(UUID tenantId) {
        Tenant tenant = require(tenantId);
        Plan plan = plans.require(tenant.planId());
        List<UserSummary> members = users.findByTenant(tenantId).stream()
                .map(u -> new UserSummary(u.id(), u.email(), u.role(), u.createdAt())).toList();
        int activeKeys = apiKeys.usableCount(tenantId);
        return new TenantDetail(tenant.id(), tenant.name(), plan, tenant.status(), tenant.platform(), plan.limits(),
                members, activeKeys, tenant.createdAt(), tenant.updatedAt());
    }

    /** Idempotent: suspending a suspended tenant changes nothing and publishes nothing. */
    @Transactional
    TenantSummary suspend(UUID tenantId) {
        Tenant tenant = requireForUpdate(tenantId);
        if (tenant.platform()) {
            throw ErrorCode.PLATFORM_TENANT_PROTECTED.exception(
                    "The operators' own tenant cannot be suspended; that would lock every operator out");
        }
        return changeStatus(tenant, TenantStatus.SUSPENDED);
    }

    @Transactional
    TenantSummary resume(UUID tenantId) {
        return changeStatus(requireForUpdate(tenantId), TenantStatus.ACTIVE);
    }

    @Transactional
    TenantSummary changePlan(UUID tenantId, String planId) {
        Plan plan = plans.require(planId);
        Tenant tenant = requireForUpdate(tenantId);
        if (tenant.planId().equals(plan.id())) {
            return TenantSummary.of(tenant);
        }
        Instant now = now();
        tenants.updatePlan(tenantId, plan.id(), now);
        events.planChanged(tenantId, tenant.planId(), plan.id());
        evictGatewayView(tenantId);
        return TenantSummary.of(new Tenant(tenant.id(), tenant.name(), plan.id(), tenant.status(), tenant.platform(),
                tenant.createdAt(), now));
    }

    private TenantSummary changeStatus(Tenant tenant, TenantStatus target) {
        if (tenant.status() == target) {
            return TenantSummary.of(tenant);
        }
        Instant now = now();
        tenants.updateStatus(tenant.id(), target, now);
        if (target == TenantStatus.SUSPENDED) {
            events.suspended(tenant.id());
        } else {
            events.resumed(tenant.id());
        }
        evictGatewayView(tenant.id());
        return TenantSummary.of(new Tenant(tenant.id(), tenant.name(), tenant.planId(), target, tenant.platform(),
                tenant.createdAt(), now));
    }

    /** Verified keys are cached with the tenant's status and plan inside, so they go too. */
    private void evictGatewayView(UUID tenantId) {
        gatewayCache.evictTenant(tenantId, apiKeys.unrevokedHashes(tenantId));
    }

    private Tenant require(UUID tenantId) {
        return tenants.find(tenantId).orElseThrow(() -> ErrorCode.notFound("Tenant", tenantId));
    }

    private Tenant requireForUpdate(UUID tenantId) {
        return tenants.findForUpdate(tenantId).orElseThrow(() -> ErrorCode.notFound("Tenant", tenantId));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
