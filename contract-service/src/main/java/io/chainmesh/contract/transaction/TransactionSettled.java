package io.chainmesh.contract.transaction;

import java.util.UUID;

/**
 * Published (as a Spring application event, inside the tracker's database transaction) when a transaction reaches
 * CONFIRMED, FAILED or REPLACED, so a deployment can mark its instance without this package knowing instances.
 */
public record TransactionSettled(UUID tenantId, UUID transactionId, TransactionKind kind, UUID instanceId, TransactionStatus status,
        String contractAddress) {
}
