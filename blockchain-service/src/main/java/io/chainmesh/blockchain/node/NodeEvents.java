package io.chainmesh.blockchain.node;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.NodeStatusChanged;
import io.chainmesh.common.events.Outbox;

/**
 * Node lifecycle events on {@code chainmesh.chain}: {@code node.provisioning}, {@code node.running},
 * {@code node.failed}, {@code node.deleting}, {@code node.deleted}. Written to the outbox, so callers must be inside
 * the transaction that changes the node's status.
 */
@Component
public class NodeEvents {

    private final Outbox outbox;

    NodeEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void publish(Node node, NodeStatus status, String reason) {
        outbox.append(node.tenantId(), new NodeStatusChanged(node.id(), node.name(), node.protocol(), node.network(),
                node.chainId(), node.driver(), status.name(), reason));
    }
}
