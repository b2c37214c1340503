package io.chainmesh.contract.instance;

import java.time.Instant;
import java.util.UUID;

/** A contract at an address on a tenant's node. Status: PENDING (deploying), DEPLOYED, FAILED. */
public record Instance(UUID id, UUID tenantId, UUID contractId, UUID nodeId, long chainId, String name, String address,
        String status, UUID deployTransactionId, Instant createdAt, Instant updatedAt) {
}
