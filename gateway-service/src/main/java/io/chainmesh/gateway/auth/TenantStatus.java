package io.chainmesh.gateway.auth;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.web.GatewayProblems;

/** The one rule about tenant status at the edge: only an active tenant gets through. */
final class TenantStatus {

    private TenantStatus() {
    }

    static void requireActive(String status) {
        if (!"active".equalsIgnoreCase(status)) {
            throw ApiException.forbidden(GatewayProblems.TENANT_SUSPENDED,
                    "This tenant is " + (status == null ? "not active" : status.toLowerCase(java.util.Locale.ROOT))
                            + "; contact support to resume it.");
        }
    }
}
