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
    void publish(TransactionEventKind kind, TransactionRecord t, String hash, Long blockNumber, String revertReason) {
        TransactionStatus status = kind.status();
        String type = status == TransactionStatus.PENDING ? "tx.submitted" : "tx." + status.name().toLowerCase();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transactionId", t.id().toString());
        data.put("operationId", t.request().kind() == TransactionKind.DEPLOY ? t.id().toString() : null);
        data.put("nodeId", t.nodeId().toString());
        data.put("hash", hash);
        data.put("from", t.request().from());
        data.put("to", t.request().to());
        data.put("nonce", t.submission().nonce());
        data.put("status", status.name());
        data.put("blockNumber", blockNumber);
        data.put("revertReason", revertReason);
        outbox.append(Streams.TX, EventEnvelope.of(type, t.tenantId(), data));
    }
}
