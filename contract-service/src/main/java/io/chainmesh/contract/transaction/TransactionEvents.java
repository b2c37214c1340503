package io.chainmesh.contract.transaction;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.TransactionStatusChanged;

/** Announces transaction state changes on {@code chainmesh.tx} through the outbox. */
@Component
class TransactionEvents {

    private final Outbox outbox;

    TransactionEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Must be called inside the transaction that changed the state. */
    void publish(TransactionEventKind kind, TransactionRecord t, String hash, Long blockNumber, String revertReason) {
        TransactionRecord.Request r = t.request();
        outbox.append(t.tenantId(), new TransactionStatusChanged(t.id(), r.kind() == TransactionKind.DEPLOY ? t.id() : null,
                t.nodeId(), hash, r.from(), r.to(), t.submission().nonce(), kind.status().name(), blockNumber,
                revertReason));
    }
}
