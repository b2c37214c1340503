package io.chainmesh.tenant.plan;

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
    }
}
