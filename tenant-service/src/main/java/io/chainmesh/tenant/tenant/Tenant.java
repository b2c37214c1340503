package io.chainmesh.tenant.tenant;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant as stored. Never serialised as is: controllers map it to their own views.
 *
 * @param platform true for the operators' own tenant only
 */
public record Tenant(UUID id, String name, String planId, TenantStatus status, boolean platform, Instant createdAt,
        Instant updatedAt) {

    public boolean isSuspended() {
        return status == TenantStatus.SUSPENDED;
    }
}
