package io.chainmesh.common.identity;

import java.util.UUID;

import io.chainmesh.common.problem.ApiException;

/** Guards for controller methods that take an {@link Identity} parameter. */
public final class Caller {

    private Caller() {
    }

    /** The caller's tenant, or 401 when the call is anonymous or from a service. */
    public static UUID tenantOf(Identity identity) {
        if (identity == null || identity.tenantId() == null) {
            throw ApiException.unauthorized("authentication_required", "This endpoint needs an API key or an access token");
        }
        return identity.tenantId();
    }

    /** 403 unless the caller has {@code scope}. */
    public static void requireScope(Identity identity, String scope) {
        if (identity == null || !identity.hasScope(scope)) {
            throw ApiException.forbidden("insufficient_scope", "This operation requires the '" + scope + "' scope");
        }
    }
}
