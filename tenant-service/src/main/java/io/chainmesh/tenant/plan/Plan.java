package io.chainmesh.tenant.plan;

import io.chainmesh.common.tenant.TenantContextView;

/**
 * A plan of the catalogue, as stored. Also the public view: every field is meant to be shown.
 */
public record Plan(String id, String name, int requestsPerSecond, int burst, long monthlyComputeUnits, int maxNodes,
        int maxWebhooks, long priceCentsPerMonth) {

    public Limits limits() {
        return new Limits(requestsPerSecond, burst, monthlyComputeUnits, maxNodes, maxWebhooks);
    }

    /**
     * What is enforced per tenant: the gateway's token bucket and monthly compute-unit quota, and the
     * resource quotas blockchain-service (nodes) and notification-service (webhook endpoints) check.
     */
    public record Limits(int requestsPerSecond, int burst, long monthlyComputeUnits, int maxNodes, int maxWebhooks) {

        /** The same limits as other services read them from the tenant context. */
        public TenantContextView.Limits view() {
            return new TenantContextView.Limits(requestsPerSecond, burst, monthlyComputeUnits, maxNodes, maxWebhooks);
        }
    }
}
