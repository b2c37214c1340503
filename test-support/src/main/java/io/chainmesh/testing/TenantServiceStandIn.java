package io.chainmesh.testing;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.tenant.TenantContextView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for tenant-service's {@code GET /internal/tenants/{id}/context} at the network boundary: answers each
 * tenant's {@link TenantContextView} as the test set it, the free plan for any other tenant, and 401 to a request
 * without an identity token. One per test JVM ({@link #shared()}).
 */
public final class TenantServiceStandIn {

    /** The free plan's limits as tenant-service's catalogue has them. */
    public static final TenantContextView.Limits FREE = new TenantContextView.Limits(10, 20, 3_000_000L, 1, 2);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TenantServiceStandIn shared;

    private final HttpStandIn server = HttpStandIn.start();
    private final Map<UUID, TenantContextView> contexts = new ConcurrentHashMap<>();

    private TenantServiceStandIn() {
        server.route("GET", "/internal/tenants/([^/]+)/context", request -> {
            if (request.header(Identity.HEADER) == null) {
                return HttpStandIn.Response.problem(401, "identity_required");
            }
            UUID tenantId = UUID.fromString(request.groups().get(0));
            TenantContextView context = contexts.getOrDefault(tenantId,
                    new TenantContextView(tenantId, TenantContextView.ACTIVE, "free", FREE));
            return HttpStandIn.Response.json(200, JSON.writeValueAsString(context));
        });
    }

    public static synchronized TenantServiceStandIn shared() {
        if (shared == null) {
            shared = new TenantServiceStandIn();
        }
        return shared;
    }

    public String url() {
        return server.url();
    }

    /** From now on the tenant has this context. */
    public void set(TenantContextView context) {
        contexts.put(context.tenantId(), context);
    }

    /** From now on the tenant is active on the free plan with these limits. */
    public void limits(UUID tenantId, TenantContextView.Limits limits) {
        set(new TenantContextView(tenantId, TenantContextView.ACTIVE, "free", limits));
    }

    public HttpStandIn server() {
        return server;
    }
}
