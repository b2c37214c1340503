package io.chainmesh.tenant.tenant;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.dao.DataAccessException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.tenant.ErrorCode;
import io.chainmesh.tenant.cache.GatewayCache;
import io.chainmesh.tenant.plan.Plan;
import io.chainmesh.tenant.plan.PlanCatalogue;

/** The caller's own tenant, and the gateway's view of any tenant. */
@RestController
class TenantController {

    private final TenantRepository tenants;
    private final PlanCatalogue plans;
    private final GatewayCache gatewayCache;
    private final Clock clock;

    TenantController(TenantRepository tenants, PlanCatalogue plans, GatewayCache gatewayCache, Clock clock) {
        this.tenants = tenants;
        this.plans = plans;
        this.gatewayCache = gatewayCache;
        this.clock = clock;
    }

    record Usage(long computeUnitsThisPeriod, Instant periodStart) {
    }

    record TenantView(UUID id, String name, Plan plan, TenantStatus status, Plan.Limits limits, Usage usage,
            Instant createdAt) {
    }

    @GetMapping("/v1/tenant")
    TenantView current(Identity identity) {
        UUID tenantId = Caller.tenantOf(identity);
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> ErrorCode.notFound("Tenant", tenantId));
        Plan plan = plans.require(tenant.planId());
        YearMonth period = GatewayCache.periodOf(clock.instant());
        long used;
        try {
            used = gatewayCache.computeUnits(tenantId, period);
        } catch (DataAccessException e) {
            throw ErrorCode.USAGE_UNAVAILABLE.exception("Usage counters are unreachable right now; retry shortly");
        }
        return new TenantView(tenant.id(), tenant.name(), plan, tenant.status(), plan.limits(),
                new Usage(used, period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)), tenant.createdAt());
    }

    /**
     * Called by the gateway on a cache miss of {@code {tenant:<id>}:ctx}, and by services that enforce a plan's
     * quota (scope internal).
     */
    @GetMapping("/internal/tenants/{tenantId}/context")
    TenantContextView context(Identity identity, @PathVariable UUID tenantId) {
        Caller.requireScope(identity, Identity.SCOPE_INTERNAL);
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> ErrorCode.notFound("Tenant", tenantId));
        Plan plan = plans.require(tenant.planId());
        return new TenantContextView(tenant.id(), tenant.status().value(), plan.id(), plan.limits().view());
    }
}
