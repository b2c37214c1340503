package io.chainmesh.tenant.tenant;

import java.util.UUID;

import io.chainmesh.tenant.plan.Plan;

/** What the gateway needs to admit a tenant's request: is it active, and which limits apply. */
public record TenantContext(UUID tenantId, TenantStatus status, String plan, Plan.Limits limits) {
}
