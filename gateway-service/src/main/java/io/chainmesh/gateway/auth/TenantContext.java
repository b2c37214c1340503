package io.chainmesh.gateway.auth;

import java.util.UUID;

/**
 * tenant-service's {@code GET /internal/tenants/{id}/context}; also the value cached under {@code {tenant:<id>}:ctx}.
 *
 * @param tenantId the tenant
 * @param status   {@code active} or {@code suspended}
 * @param plan     plan id
 * @param limits   the plan's limits
 */
record TenantContext(UUID tenantId, String status, String plan, PlanLimits limits) {
}
