package io.chainmesh.contract.instance;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.chainmesh.contract.transaction.TransactionView;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of deploy, /v1/instances, call and send. */
final class InstanceDtos {

    private InstanceDtos() {
    }

    private static final String UINT = "^(0|[1-9][0-9]{0,77})$";

    /**
     * @param args          constructor arguments: an array in order, or an object by parameter name
     * @param value         wei sent with the creation (payable constructors), decimal string
     * @param gasLimit      skip estimation and use this limit, decimal string
     * @param confirmations blocks (including its own) the creation must have before the deployment succeeds; default
     *                      {@code chainmesh.contract.transactions.confirmations}
     */
    record DeployRequest(@NotNull UUID nodeId, @NotNull UUID walletId, JsonNode args, @Size(max = 200) String name,
            @Pattern(regexp = UINT, message = "must be a decimal integer string") String value,
            @Pattern(regexp = UINT, message = "must be a decimal integer string") String gasLimit,
            @Min(1) @Max(1000) Integer confirmations) {
    }

    record RegisterInstanceRequest(@NotNull UUID contractId, @NotNull UUID nodeId, @NotNull String address,
            @Size(max = 200) String name) {
    }

    /**
     * @param args     function arguments: an array in order, or an object by parameter name
     * @param walletId the caller ({@code msg.sender}) of a call; optional for calls
     * @param block    block tag or number for calls (default latest)
     */
    record CallRequest(JsonNode args, UUID walletId, @Size(max = 80) String block) {
    }

    /**
     * @param confirmations blocks (including its own) the transaction must have before it is CONFIRMED; default
     *                      {@code chainmesh.contract.transactions.confirmations}
     */
    record SendRequest(@NotNull UUID walletId, JsonNode args,
            @Pattern(regexp = UINT, message = "must be a decimal integer string") String value,
            @Pattern(regexp = UINT, message = "must be a decimal integer string") String gasLimit,
            @Min(1) @Max(1000) Integer confirmations) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record InstanceView(UUID id, UUID contractId, UUID nodeId, long chainId, String name, String address, String status,
            UUID deployTransactionId, Instant createdAt, Instant updatedAt) {

        static InstanceView of(Instance i) {
            return new InstanceView(i.id(), i.contractId(), i.nodeId(), i.chainId(), i.name(), i.address(), i.status(),
                    i.deployTransactionId(), i.createdAt(), i.updatedAt());
        }
    }

    /**
     * A deployment as a persisted operation (FireFly's model): {@code status} Pending, Succeeded or Failed; its id is
     * the transaction's, so {@code GET /v1/transactions/{operationId}} follows it.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DeployOperation(UUID operationId, String type, String status, TransactionView transaction, InstanceView instance) {
    }

    record CallResult(String method, JsonNode outputs) {
    }
}
