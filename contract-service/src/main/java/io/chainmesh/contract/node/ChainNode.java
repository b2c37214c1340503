package io.chainmesh.contract.node;

import java.util.UUID;

/** A tenant's node as blockchain-service describes it ({@code GET /internal/nodes/{id}}). */
public record ChainNode(UUID id, UUID tenantId, String name, String protocol, String network, long chainId,
        String status, String driver) {

    public boolean isRunning() {
        return "RUNNING".equalsIgnoreCase(status);
    }
}
