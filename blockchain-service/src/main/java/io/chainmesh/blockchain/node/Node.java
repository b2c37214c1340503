package io.chainmesh.blockchain.node;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A node as stored. Never leaves the service: controllers map it to {@link NodeDtos.NodeResponse}.
 *
 * @param desiredRunning    what the tenant wants: {@code true} running, {@code false} deleted
 * @param restartRequested  the tenant asked for a restart the reconciler has not done yet
 * @param port              the local driver's port (null for other drivers)
 * @param upstreams         JSON-RPC URLs the proxy forwards to, in failover order
 */
public record Node(UUID id, UUID tenantId, String name, String protocol, String network, String driver, Long chainId,
        NodeStatus status, String statusReason, boolean desiredRunning, boolean restartRequested, Integer port,
        List<String> upstreams, NodeHealth health, Instant createdAt, Instant updatedAt) {

    public boolean isRunning() {
        return status == NodeStatus.RUNNING;
    }

    /**
     * Last probe of the node's upstreams.
     *
     * @param status       {@code unknown}, {@code healthy}, {@code degraded} (an upstream failing or slow) or
     *                     {@code unreachable} (none answered)
     * @param failedChecks consecutive probes in which no upstream answered
     */
    public record NodeHealth(String status, Long headBlock, Boolean syncing, Integer peers, Double latencyMs,
            int failedChecks, Instant checkedAt) {
    }
}
