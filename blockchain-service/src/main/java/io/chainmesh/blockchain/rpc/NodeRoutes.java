package io.chainmesh.blockchain.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.blockchain.node.NodeRepository;
import io.chainmesh.blockchain.node.NodeStatus;

/**
 * Where a tenant's node can be reached, looked up per JSON-RPC request. Kept in memory for a second so the hot path
 * does not query PostgreSQL on every call; a node deleted or restarted elsewhere is seen within that second.
 */
@Component
class NodeRoutes {

    static final Duration TTL = Duration.ofSeconds(1);
    static final long MAX_NODES = 100_000;

    record NodeRoute(UUID id, UUID tenantId, NodeStatus status, List<String> upstreams) {
    }

    /** Reads a node's route from the store; empty when the tenant has no such node. */
    interface Lookup {
        Optional<NodeRoute> find(UUID tenantId, UUID nodeId);
    }

    private final Lookup lookup;
    private final Cache<UUID, NodeRoute> routes;

    @Autowired
    NodeRoutes(NodeRepository nodes) {
        this((tenantId, nodeId) -> nodes.find(tenantId, nodeId)
                .map(n -> new NodeRoute(n.id(), n.tenantId(), n.status(), n.upstreams())), Ticker.systemTicker());
    }

    NodeRoutes(Lookup lookup, Ticker ticker) {
        this.lookup = lookup;
        this.routes = Caffeine.newBuilder().maximumSize(MAX_NODES).expireAfterWrite(TTL).ticker(ticker).build();
    }

    /** The node if it exists and belongs to the tenant. */
    Optional<NodeRoute> find(UUID tenantId, UUID nodeId) {
        NodeRoute cached = routes.getIfPresent(nodeId);
        if (cached != null) {
            return cached.tenantId().equals(tenantId) ? Optional.of(cached) : Optional.empty();
        }
        Optional<NodeRoute> route = lookup.find(tenantId, nodeId);
        route.ifPresent(r -> routes.put(nodeId, r));
        return route;
    }
}
