package io.chainmesh.blockchain.node;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A node as stored. Never leaves the service: controllers map it to {@link NodeDtos.NodeResponse}. What its driver
 * keeps about it (ports, processes, cluster objects) is the driver's spec, not part of this record.
 *
 * @param desiredRunning    what the tenant wants: {@code true} running, {@code false} deleted
 * @param restartRequested  the tenant asked for a restart the reconciler has not done yet
 * @param upstreams         JSON-RPC URLs the proxy forwards to, in failover order
 */
public record Node(UUID id, UUID tenantId, String name, String protocol, String network, String driver, Long chainId,
        NodeStatus status, String statusReason, boolean desiredRunning, boolean restartRequested,
        List<String> upstreams, NodeHealth health, Instant createdAt, Instant updatedAt) {

    public boolean isRunning() {
        return status == NodeStatus.RUNNING;
    }

    /** The same node with a new status (and what came with it), for the event that announces it. */
    Node with(NodeStatus newStatus, Long newChainId, List<String> newUpstreams) {
        return new Node(id, tenantId, name, protocol, network, driver, newChainId, newStatus, statusReason,
                desiredRunning, restartRequested, newUpstreams, health, createdAt, updatedAt);
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

        static NodeHealth unknown() {
            return new NodeHealth("unknown", null, null, null, null, 0, null);
        }
    }
}
