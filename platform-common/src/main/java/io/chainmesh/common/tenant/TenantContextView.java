package io.chainmesh.common.tenant;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * tenant-service's {@code GET /internal/tenants/{id}/context}: what other services need to admit a tenant's work.
 * The one type both tenant-service (which answers it) and its callers (which read it) use; unknown fields are
 * ignored so tenant-service may add some without breaking older callers.
 *
 * @param status {@code active} or {@code suspended}
 * @param plan   the plan's id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TenantContextView(UUID tenantId, String status, String plan, Limits limits) {

    public static final String ACTIVE = "active";

    public boolean active() {
        return ACTIVE.equals(status);
    }

    /**
     * The plan's limits; a {@code null} means "no limit of that kind".
     *
     * @param requestsPerSecond   sustained rate of the tenant's token bucket
     * @param burst               bucket size: requests allowed at once after a quiet period
     * @param monthlyComputeUnits compute units the tenant may use per calendar month (UTC)
     * @param maxNodes            nodes the tenant may have
     * @param maxWebhooks         webhook endpoints the tenant may have
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Limits(Integer requestsPerSecond, Integer burst, Long monthlyComputeUnits, Integer maxNodes,
            Integer maxWebhooks) {
    }
}
