package io.chainmesh.gateway.auth;

/**
 * A plan's limits as tenant-service reports them. A {@code null} field means "no limit of that kind".
 *
 * @param requestsPerSecond   sustained rate of the tenant's token bucket
 * @param burst               bucket size: requests allowed at once after a quiet period
 * @param monthlyComputeUnits compute units the tenant may use per calendar month (UTC)
 */
public record PlanLimits(Double requestsPerSecond, Integer burst, Long monthlyComputeUnits) {

    public static final PlanLimits NONE = new PlanLimits(null, null, null);
}
