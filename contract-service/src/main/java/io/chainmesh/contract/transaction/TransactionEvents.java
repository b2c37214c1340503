package io.chainmesh.contract.transaction;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.Streams;

/** Announces transaction state changes on {@code chainmesh.tx} through the outbox (brief: tx.* event shapes). */
@Component
class TransactionEvents {

    private final Outbox outbox;

    TransactionEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Must be called inside the transaction that changed the state. */
    void publish(String type, TransactionRecord t, TransactionStatus status, String hash, Long blockNumber, String revertReason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transactionId", t.id().toString());
        data.put("operationId", t.kind().equals("deploy") ? t.id().toString() : null);
        data.put("nodeId", t.nodeId().toString());
        data.put("hash", hash);
        data.put("from", t.fromAddress());
        data.put("to", t.toAddress());
        data.put("nonce", t.nonce());
        data.put("status", status.name());
        data.put("blockNumber", blockNumber);
        data.put("revertReason", revertReason);
        outbox.append(Streams.TX, EventEnvelope.of(type, t.tenantId(), data));
    }
}
