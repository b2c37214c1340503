package io.chainmesh.gateway.auth;

import java.util.Locale;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.web.GatewayProblems;

/** The one rule about tenant status at the edge: only an active tenant gets through. */
final class TenantStatus {

    private TenantStatus() {
    }

    static boolean isActive(String status) {
        return "active".equalsIgnoreCase(status);
    }

    static void requireActive(String status) {
        if (!isActive(status)) {
            throw refusal(status);
        }
    }

    static ApiException refusal(String status) {
        return ApiException.forbidden(GatewayProblems.TENANT_SUSPENDED,
                "This tenant is " + (status == null ? "not active" : status.toLowerCase(Locale.ROOT))
                        + "; contact support to resume it.");
    }
}
