package io.chainmesh.gateway.auth;

import io.chainmesh.common.identity.Identity;

/**
 * Who made the request, as established by {@link CallerAuthenticationFilter} and kept as an exchange attribute for
 * the filters after it (limits, identity header, usage).
 *
 * @param identity what is forwarded to the upstream in the identity token
 * @param limits   the tenant's plan limits; {@link PlanLimits#NONE} for anonymous callers
 */
public record Caller(Identity identity, PlanLimits limits) {

    public static final String ATTRIBUTE = Caller.class.getName();
    public static final Caller ANONYMOUS = new Caller(Identity.anonymous(), PlanLimits.NONE);

    public boolean isTenant() {
        return identity.isTenant();
    }
}
