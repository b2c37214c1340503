package io.chainmesh.testing;

import java.util.Set;
import java.util.UUID;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;

/** The identity tokens tests send to a service, as the gateway or another service would sign them. */
public final class IdentityTokens {

    /** Every scope a tenant's own key may carry. */
    public static final Set<String> ALL_TENANT_SCOPES = Set.of("read", "write", "keys", "rpc");

    private final IdentityTokenCodec codec;

    public IdentityTokens(IdentityTokenCodec codec) {
        this.codec = codec;
    }

    /** A portal user of the tenant with every tenant scope, on {@code plan}. */
    public String user(UUID tenantId, String plan) {
        return codec.sign(new Identity(tenantId, "user:" + UUID.randomUUID(), ALL_TENANT_SCOPES, plan, null));
    }

    /** A caller of the tenant with exactly {@code scopes}, on the free plan. */
    public String withScopes(UUID tenantId, Set<String> scopes) {
        return codec.sign(new Identity(tenantId, "user:" + UUID.randomUUID(), scopes, "free", null));
    }

    /** Another service calling on the tenant's behalf. */
    public String internal(UUID tenantId, String service) {
        return codec.sign(new Identity(tenantId, "service:" + service, Set.of(Identity.SCOPE_INTERNAL), null, null));
    }

    /** An operator. */
    public String admin() {
        return codec.sign(new Identity(null, "user:operator", Set.of("admin"), null, null));
    }
}
