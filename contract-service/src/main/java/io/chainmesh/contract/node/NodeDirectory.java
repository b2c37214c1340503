package io.chainmesh.contract.node;

import java.time.Duration;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Which nodes a tenant owns. blockchain-service is the source of truth; contract-service never stores node details
 * beyond the id. Throws a 404 {@code ApiException} when the node does not exist or belongs to another tenant.
 */
@Component
public class NodeDirectory {

    /** Short: a burst of sends to one node costs one lookup, and ownership or status changes are seen within seconds. */
    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_NODES = 10_000;

    private record NodeKey(UUID tenantId, UUID nodeId) {
    }

    private final BlockchainServiceClient blockchain;
    private final Cache<NodeKey, ChainNode> nodes;

    NodeDirectory(BlockchainServiceClient blockchain, Ticker ticker) {
        this.blockchain = blockchain;
        this.nodes = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(TTL).maximumSize(MAX_NODES).build();
    }

    public ChainNode node(UUID tenantId, UUID nodeId) {
        NodeKey key = new NodeKey(tenantId, nodeId);
        ChainNode cached = nodes.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        // Looked up outside the cache's own locking: the call is remote and may take up to its read timeout.
        ChainNode node = blockchain.node(tenantId, nodeId);
        nodes.put(key, node);
        return node;
    }
}
