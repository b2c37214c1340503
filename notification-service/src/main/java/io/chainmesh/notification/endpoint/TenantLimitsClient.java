package io.chainmesh.notification.endpoint;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;

import io.chainmesh.common.http.InternalClient;
import io.chainmesh.common.http.InternalHttpClients;
import io.chainmesh.common.http.ServiceUnavailableException;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.notification.NotificationProperties;

/**
 * Reads a tenant's plan limits from tenant-service's tenant context for the per-plan endpoint quota. When
 * tenant-service cannot answer, endpoint creation fails with 503 {@code tenant_service_unavailable} rather than
 * skipping the quota.
 */
@Component
class TenantLimitsClient {

    private static final Logger log = LoggerFactory.getLogger(TenantLimitsClient.class);
    private static final String SERVICE = "tenant-service";
    private static final String RETRY = "The plan's webhook quota cannot be read right now; retry shortly";

    private final InternalClient tenantService;

    TenantLimitsClient(InternalHttpClients clients, NotificationProperties properties) {
        this.tenantService = clients.client(SERVICE, properties.tenantService());
    }

    int maxWebhooks(UUID tenantId) {
        TenantContextView context;
        try {
            context = tenantService.call(tenantId, rest -> rest.get()
                    .uri("/internal/tenants/{id}/context", tenantId).retrieve().body(TenantContextView.class));
        } catch (ServiceUnavailableException | RestClientException e) {
            // a 4xx or an unreadable answer is a wiring fault (identity, path), never the caller's: the quota
            // cannot be judged either way
            log.warn("Reading the plan limits of tenant {} from tenant-service failed: {}", tenantId, e.getMessage());
            throw new ServiceUnavailableException(SERVICE, RETRY);
        }
        if (context == null || context.limits() == null || context.limits().maxWebhooks() == null) {
            log.warn("tenant-service answered no limits.maxWebhooks for tenant {}; refusing rather than guessing", tenantId);
            throw new ServiceUnavailableException(SERVICE, RETRY);
        }
        return context.limits().maxWebhooks();
    }
}
