package io.chainmesh.blockchain.tenant;

import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.common.http.InternalClient;
import io.chainmesh.common.http.InternalHttpClients;
import io.chainmesh.common.http.ServiceUnavailableException;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.tenant.TenantContextView;

/**
 * A tenant's plan limits, asked from tenant-service ({@code GET /internal/tenants/{id}/context}) every time: a node
 * is created rarely and the plan may have just changed; a JSON-RPC WebSocket reads its monthly compute units as it
 * opens. Through the platform's internal client, with the timeouts and breaker of
 * {@code chainmesh.blockchain.tenant-service}.
 * When tenant-service cannot answer, the caller gets 503 {@code tenant_service_unavailable} rather than nodes nobody
 * pays for; a suspended tenant gets 403 {@code tenant_suspended}.
 */
@Component
public class TenantQuotas {

    private final InternalClient tenantService;

    TenantQuotas(InternalHttpClients clients, BlockchainProperties properties) {
        this.tenantService = clients.client("tenant-service", properties.tenantService());
    }

    /** {@code null} when the plan sets no node limit. */
    public Integer maxNodes(UUID tenantId) {
        TenantContextView.Limits limits = activeContext(tenantId).limits();
        return limits == null ? null : limits.maxNodes();
    }

    /** The plan's monthly compute units, {@code null} when unlimited. */
    public Long monthlyComputeUnits(UUID tenantId) {
        TenantContextView.Limits limits = activeContext(tenantId).limits();
        return limits == null ? null : limits.monthlyComputeUnits();
    }

    private TenantContextView activeContext(UUID tenantId) {
        TenantContextView context;
        try {
            context = tenantService.call(tenantId, rest -> rest.get().uri("/internal/tenants/{id}/context", tenantId)
                    .retrieve().body(TenantContextView.class));
        } catch (ServiceUnavailableException | RestClientException e) {
            // Unreachable, failing, or refusing us (a 4xx): either way the limits are unknown.
            throw unavailable();
        }
        if (context == null) {
            throw unavailable();
        }
        // Only a status other than active refuses the tenant; an answer without one does not.
        if (context.status() != null && !context.active()) {
            throw BlockchainErrors.TENANT_SUSPENDED.exception("The tenant is suspended.");
        }
        return context;
    }

    private static ApiException unavailable() {
        return BlockchainErrors.TENANT_SERVICE_UNAVAILABLE.exception(
                "The limits of your plan cannot be checked right now; retry shortly.");
    }
}
