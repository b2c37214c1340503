package io.chainmesh.blockchain.provisioning;

import java.util.List;
import java.util.UUID;

/**
 * A tenant's request for a new node, as a driver sees it.
 *
 * @param upstreams the JSON-RPC URLs the tenant gave, in failover order; empty when none
 */
public record NodeRequest(UUID nodeId, UUID tenantId, String name, String network, String protocol,
        List<String> upstreams) {

    public NodeRequest {
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
    }
}
