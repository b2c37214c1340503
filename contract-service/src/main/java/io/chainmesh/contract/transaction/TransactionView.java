package io.chainmesh.contract.transaction;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

/**
 * A transaction as the API shows it. Wei amounts and gas are decimal strings (they exceed JSON numbers);
 * {@code confirmations} is the depth (blocks including its own) at which it becomes CONFIRMED; {@code revert}
 * carries the decoded revert (kind, message, signature, args, data) when it failed.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TransactionView(UUID id, String kind, UUID nodeId, long chainId, UUID walletId, UUID instanceId,
        String from, String to, String method, JsonNode args, Long nonce, String hash, TransactionStatus status,
        int confirmations, String value, String gasLimit, String maxFeePerGas, String maxPriorityFeePerGas, Long blockNumber,
        String blockHash, String gasUsed, String contractAddress, String revertReason, JsonNode revert,
        int resubmissions, Instant createdAt, Instant updatedAt, Instant minedAt, Instant confirmedAt) {
}
