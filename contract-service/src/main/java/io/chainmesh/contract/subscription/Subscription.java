package io.chainmesh.contract.subscription;

import java.time.Instant;
import java.util.UUID;

/** A listener for one event of one instance; {@code nextBlock}/{@code checkpointHash} are its durable checkpoint. */
record Subscription(UUID id, UUID tenantId, UUID instanceId, UUID nodeId, String address, String eventSignature,
        String topics, String filters, int confirmations, long fromBlock, long nextBlock, String checkpointHash,
        String status, String lastError, Instant createdAt) {
}
