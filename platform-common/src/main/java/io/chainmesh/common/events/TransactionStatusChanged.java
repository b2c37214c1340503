package io.chainmesh.common.events;

import java.util.Locale;
import java.util.UUID;

/**
 * {@code tx.submitted} (status {@code PENDING}: signed and sent, or sent again after a fee bump or a reorg),
 * {@code tx.mined}, {@code tx.confirmed}, {@code tx.failed} and {@code tx.replaced}: the type follows the status.
 *
 * @param operationId the deploy operation, {@code null} for a plain send
 * @param nonce       {@code null} while none is allocated
 * @param blockNumber the block it was mined in, once mined
 */
public record TransactionStatusChanged(UUID transactionId, UUID operationId, UUID nodeId, String hash, String from,
        String to, Long nonce, String status, Long blockNumber, String revertReason) implements PlatformEvent {

    @Override
    public String type() {
        return "PENDING".equals(status) ? "tx.submitted" : "tx." + status.toLowerCase(Locale.ROOT);
    }
}
