package io.chainmesh.contract.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.chainmesh.contract.transaction.TransactionLedger;
import io.chainmesh.contract.transaction.TransactionRecord;

/**
 * Follows every open transaction to its end: each round hands the open transactions of each node to the node's
 * connector, which reads the chain and records what changed. All state lives in PostgreSQL, so a restarted service
 * resumes exactly where it stopped; a node that fails a round is tried again in the next.
 */
@Component
public class TransactionTracking {

    private static final Logger log = LoggerFactory.getLogger(TransactionTracking.class);
    private static final int OPEN_PER_ROUND = 5000;

    private final TransactionLedger ledger;
    private final ChainConnectors connectors;

    TransactionTracking(TransactionLedger ledger, ChainConnectors connectors) {
        this.ledger = ledger;
        this.connectors = connectors;
    }

    private record NodeKey(UUID tenantId, UUID nodeId) {
    }

    @Scheduled(fixedDelayString = "${chainmesh.contract.transactions.track-interval:500ms}")
    void trackScheduled() {
        try {
            track();
        } catch (RuntimeException e) {
            log.warn("Transaction tracking round failed, will retry: {}", e.toString());
        }
    }

    /** One round over all open transactions (tests run one themselves to judge the chain at a known moment). */
    public void track() {
        Map<NodeKey, List<TransactionRecord>> byNode = new LinkedHashMap<>();
        for (TransactionRecord t : ledger.open(OPEN_PER_ROUND)) {
            byNode.computeIfAbsent(new NodeKey(t.tenantId(), t.nodeId()), k -> new ArrayList<>()).add(t);
        }
        byNode.forEach((node, open) -> {
            try {
                ChainConnectors.Connected connected = connectors.forNode(node.tenantId(), node.nodeId());
                connected.connector().track(connected.node(), open);
            } catch (RuntimeException e) {
                log.info("Tracking {} transactions on node {} failed, will retry: {}", open.size(), node.nodeId(), e.toString());
            }
        });
    }
}
