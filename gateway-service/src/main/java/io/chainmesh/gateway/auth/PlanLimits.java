package io.chainmesh.gateway.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.chainmesh.common.tenant.TenantContextView;

/**
 * A plan's limits as the gateway enforces them, from an API key verification or a tenant context. A {@code null}
 * field means "no limit of that kind". The rate is fractional (a token bucket may refill slower than one request a
 * second), which tenant-service's whole-number plans never need but the limiter supports.
 *
 * @param requestsPerSecond   sustained rate of the tenant's token bucket
 * @param burst               bucket size: requests allowed at once after a quiet period
 * @param monthlyComputeUnits compute units the tenant may use per calendar month (UTC)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanLimits(Double requestsPerSecond, Integer burst, Long monthlyComputeUnits) {

    public static final PlanLimits NONE = new PlanLimits(null, null, null);

    /** The limits of a tenant context; {@link #NONE} when it has none. */
    public static PlanLimits of(TenantContextView.Limits limits) {
        if (limits == null) {
            return NONE;
        }
        return new PlanLimits(limits.requestsPerSecond() == null ? null : limits.requestsPerSecond().doubleValue(),
                limits.burst(), limits.monthlyComputeUnits());
    }
}
