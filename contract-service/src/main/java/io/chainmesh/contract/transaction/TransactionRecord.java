package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code transactions}; internal, answered as {@link TransactionView}. {@code confirmations} is the depth
 * this transaction must reach to be CONFIRMED (null on rows older than the column: the configured default applies).
 */
record TransactionRecord(UUID id, UUID tenantId, String kind, UUID nodeId, long chainId, UUID walletId, UUID instanceId,
        UUID contractId, String fromAddress, String toAddress, String method, String args, String data, BigInteger value,
        Long nonce, BigInteger gasLimit, BigInteger maxFeePerGas, BigInteger maxPriorityFee, String hash, String raw,
        TransactionStatus status, Long blockNumber, String blockHash, BigInteger gasUsed, String contractAddress,
        String revertReason, String revert, String idempotencyKey, String requestHash, String response,
        Instant broadcastAt, String broadcastError, int resubmissions, Instant createdAt, Instant updatedAt,
        Instant minedAt, Instant confirmedAt, Integer confirmations) {
}
