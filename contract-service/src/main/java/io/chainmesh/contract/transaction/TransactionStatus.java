package io.chainmesh.contract.transaction;

/**
 * Lifecycle of a transaction. PENDING: nonce assigned and signed (broadcast or about to be); MINED: in a block with
 * fewer than the configured confirmations; CONFIRMED: deep enough; FAILED: reverted (at estimation or on chain) or
 * rejected by the node; REPLACED: its nonce was consumed by a transaction that is none of ours.
 */
public enum TransactionStatus {
    PENDING, MINED, CONFIRMED, FAILED, REPLACED;

    public boolean isTerminal() {
        return this == CONFIRMED || this == FAILED || this == REPLACED;
    }
}
