package io.chainmesh.blockchain.rpc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.node.Node;
import io.chainmesh.blockchain.node.NodeRepository;
import io.chainmesh.blockchain.node.NodeStatus;

/**
 * Where a tenant's node can be reached, looked up per JSON-RPC request. Kept in memory for a second so the hot path
 * does not query PostgreSQL on every call; a node deleted or restarted elsewhere is seen within that second.
 */
@Component
class NodeRoutes {

    private static final long TTL_NANOS = 1_000_000_000L;

    record NodeRoute(UUID id, UUID tenantId, NodeStatus status, List<String> upstreams, long loadedAt) {
    }

    private final NodeRepository nodes;
    private final Map<UUID, NodeRoute> routes = new ConcurrentHashMap<>();

    NodeRoutes(NodeRepository nodes) {
        this.nodes = nodes;
    }

    /** The node if it exists and belongs to the tenant. */
    Optional<NodeRoute> find(UUID tenantId, UUID nodeId) {
        NodeRoute cached = routes.get(nodeId);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < TTL_NANOS) {
            return cached.tenantId().equals(tenantId) ? Optional.of(cached) : Optional.empty();
        }
        Optional<Node> node = nodes.find(tenantId, nodeId);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Node n = node.get();
        NodeRoute route = new NodeRoute(n.id(), n.tenantId(), n.status(), n.upstreams(), now);
        routes.put(nodeId, route);
        return Optional.of(route);
    }
}
