package io.chainmesh.contract.node;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Which nodes a tenant owns. blockchain-service is the source of truth; contract-service never stores node details
 * beyond the id. Throws a 404 {@code ApiException} when the node does not exist or belongs to another tenant.
 */
@Component
public class NodeDirectory {

    private record CachedNode(ChainNode node, long expiresAtNanos) {
    }

    private final BlockchainServiceClient blockchain;
    private final Map<String, CachedNode> nodeCache = new ConcurrentHashMap<>();

    NodeDirectory(BlockchainServiceClient blockchain) {
        this.blockchain = blockchain;
    }

    public ChainNode node(UUID tenantId, UUID nodeId) {
        String key = tenantId + "/" + nodeId;
        CachedNode cached = nodeCache.get(key);
        long now = System.nanoTime();
        if (cached != null && cached.expiresAtNanos() - now > 0) {
            return cached.node();
        }
        ChainNode node = blockchain.node(tenantId, nodeId);
        // Short cache: a burst of sends to one node costs one lookup; ownership changes are seen within seconds.
        nodeCache.put(key, new CachedNode(node, now + Duration.ofSeconds(5).toNanos()));
        return node;
    }
}
