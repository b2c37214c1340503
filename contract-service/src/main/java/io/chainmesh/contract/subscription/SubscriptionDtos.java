package io.chainmesh.contract.subscription;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

final class SubscriptionDtos {

    private SubscriptionDtos() {
    }

    /**
     * @param event         event name, or signature when overloaded, e.g. {@code Transfer}
     * @param filters       indexed arguments to match, by name: a value or an array of alternatives
     * @param fromBlock     a block number, {@code earliest} or {@code latest} (default)
     * @param confirmations blocks an event's block must have (including itself) before it is delivered
     */
    record CreateSubscriptionRequest(@NotNull UUID instanceId, @NotBlank @Size(max = 300) String event, JsonNode filters,
            JsonNode fromBlock, @Min(1) @Max(1000) Integer confirmations) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SubscriptionView(UUID id, UUID instanceId, UUID nodeId, String address, String event, JsonNode filters,
            long fromBlock, int confirmations, long nextBlock, String status, String lastError, Instant createdAt) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ContractEventView(UUID id, UUID subscriptionId, UUID instanceId, String address, String event, String signature,
            JsonNode args, long blockNumber, String blockHash, String transactionHash, int logIndex, boolean removed,
            Instant createdAt) {
    }
}
