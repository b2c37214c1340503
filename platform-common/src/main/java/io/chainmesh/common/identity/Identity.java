package io.chainmesh.common.identity;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as established by the gateway and carried to services in the signed
 * {@code X-Chainmesh-Identity} token.
 *
 * @param tenantId  the caller's tenant; {@code null} for anonymous public calls (signup, login, plans)
 * @param principal the user id ({@code user:<uuid>}), key id ({@code key:<uuid>}), {@code anonymous}
 *                  or a service name ({@code service:gateway})
 * @param scopes    what the caller may do ({@code admin} for operators, {@code internal} for services)
 * @param plan      the tenant's plan id, when known
 * @param keyId     the API key used, when the caller authenticated with one
 */
public record Identity(UUID tenantId, String principal, Set<String> scopes, String plan, UUID keyId) {

    public static final String HEADER = "X-Chainmesh-Identity";
    public static final String SCOPE_ADMIN = "admin";
    public static final String SCOPE_INTERNAL = "internal";

    public Identity {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    public static Identity anonymous() {
        return new Identity(null, "anonymous", Set.of(), null, null);
    }

    public static Identity service(String name) {
        return new Identity(null, "service:" + name, Set.of(SCOPE_INTERNAL), null, null);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean isTenant() {
        return tenantId != null;
    }
}
