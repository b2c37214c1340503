package io.chainmesh.blockchain.node;

import java.util.HashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.Streams;

/**
 * Node lifecycle events on {@code chainmesh.chain} (brief2 "Cross-service contracts"): {@code node.provisioning},
 * {@code node.running}, {@code node.failed}, {@code node.deleting}, {@code node.deleted}. Written to the outbox, so
 * callers must be inside the transaction that changes the node's status.
 */
@Component
public class NodeEvents {

    private final Outbox outbox;

    NodeEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void publish(Node node, NodeStatus status, String reason) {
        Map<String, Object> data = new HashMap<>();
        data.put("nodeId", node.id().toString());
        data.put("name", node.name());
        data.put("protocol", node.protocol());
        data.put("network", node.network());
        data.put("chainId", node.chainId());
        data.put("driver", node.driver());
        data.put("status", status.name());
        data.put("reason", reason);
        outbox.append(Streams.CHAIN, EventEnvelope.of("node." + status.name().toLowerCase(), node.tenantId(), data));
    }
}
