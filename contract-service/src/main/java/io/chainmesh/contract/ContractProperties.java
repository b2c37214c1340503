package io.chainmesh.contract;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.chainmesh.common.http.InternalClientSettings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of contract-service, under {@code chainmesh.contract}.
 *
 * @param blockchain    how blockchain-service's internal API (node lookup and JSON-RPC) is reached
 * @param custody       wallet key encryption
 * @param transactions  the transaction manager
 * @param subscriptions the contract event listener
 */
@Validated
@ConfigurationProperties("chainmesh.contract")
public record ContractProperties(@Valid @DefaultValue Blockchain blockchain, @Valid @NotNull Custody custody,
        @Valid @DefaultValue Transactions transactions, @Valid @DefaultValue Subscriptions subscriptions) {

    /**
     * @param url            base URL of blockchain-service
     * @param connectTimeout TCP connect timeout of one call
     * @param readTimeout    how long one JSON-RPC round trip may take
     * @param failureRate    percentage of failed calls (transport errors and 5xx) that opens the circuit breaker
     * @param openFor        how long an open breaker fails fast before probing again
     * @param maxInFlight    most JSON-RPC requests in flight to one node at a time; calls made while that many are
     *                       out wait and leave together as one JSON-RPC batch
     * @param maxBatchCalls  most calls in one such batch
     * @param maxBatchBytes  approximate size limit of one such batch (blockchain-service accepts 1 MB bodies)
     */
    public record Blockchain(@NotNull @DefaultValue("http://127.0.0.1:8082") URI url,
            @NotNull @DefaultValue("2s") Duration connectTimeout, @NotNull @DefaultValue("20s") Duration readTimeout,
            @Min(1) @Max(100) @DefaultValue("50") int failureRate, @NotNull @DefaultValue("10s") Duration openFor,
            @Min(1) @Max(1000) @DefaultValue("8") int maxInFlight,
            @Min(1) @Max(1000) @DefaultValue("100") int maxBatchCalls,
            @Min(1024) @Max(1_000_000) @DefaultValue("512000") int maxBatchBytes) {

        /** Breaker window: the rate is judged over the last 50 calls, once at least 20 were made. */
        private static final int BREAKER_WINDOW = 50;
        private static final int BREAKER_MINIMUM_CALLS = 20;

        /** How the platform's internal client reaches blockchain-service (the property names above stay as they were). */
        public InternalClientSettings client() {
            return new InternalClientSettings(url, connectTimeout, readTimeout, new InternalClientSettings.CircuitBreaker(
                    failureRate, BREAKER_WINDOW, BREAKER_MINIMUM_CALLS, openFor));
        }
    }

    /**
     * @param activeKeyId id of the key-encryption key new wallet keys are encrypted under
     * @param keys        key-encryption keys by id, each 32 bytes base64; keep retired ids here until every wallet
     *                    was re-encrypted, so rotation never makes a wallet unusable
     */
    public record Custody(@NotBlank String activeKeyId, @NotEmpty Map<String, String> keys) {
    }

    /**
     * @param confirmations        blocks (including the transaction's own) after which a mined transaction is
     *                             CONFIRMED and its instance deployed, for requests that do not ask for their own
     *                             depth; 1 confirms on inclusion
     * @param trackInterval        how often pending transactions are checked for receipts
     * @param rebroadcastAfter     a transaction that the node does not know after this long is broadcast again
     * @param stuckAfter           a transaction still not mined after this long is resubmitted with higher fees
     * @param feeBumpPercent       fee increase of a resubmission; nodes require at least 10% to replace
     * @param gasLimitPercent      gas limit as a percentage of the node's estimate (headroom for state changes
     *                             between estimation and inclusion)
     * @param defaultPriorityFee   tip in wei when the node cannot suggest one
     * @param feeCacheTtl          how long a node's fee suggestion is reused; a burst of sends costs one lookup
     * @param maxConfirmWait       longest {@code ?confirm=true} wait before answering 202 with the pending state
     * @param nonceBatchSize       most nonces of one account allocated (and their transaction rows inserted) in one
     *                             database transaction when sends of that account arrive concurrently
     */
    public record Transactions(@Min(1) @Max(1000) @DefaultValue("1") int confirmations,
            @NotNull @DefaultValue("500ms") Duration trackInterval,
            @NotNull @DefaultValue("10s") Duration rebroadcastAfter,
            @NotNull @DefaultValue("60s") Duration stuckAfter,
            @Min(10) @Max(500) @DefaultValue("12") int feeBumpPercent,
            @Min(100) @Max(1000) @DefaultValue("130") int gasLimitPercent,
            @Min(0) @DefaultValue("1000000000") long defaultPriorityFee,
            @NotNull @DefaultValue("2s") Duration feeCacheTtl,
            @NotNull @DefaultValue("60s") Duration maxConfirmWait,
            @Min(1) @Max(1000) @DefaultValue("100") int nonceBatchSize) {
    }

    /**
     * @param pollInterval  how often each subscription looks for new blocks
     * @param maxBlockRange most blocks one eth_getLogs covers while catching up
     * @param reorgWindow   how far back a reorganisation is searched for events to correct
     */
    public record Subscriptions(@NotNull @DefaultValue("1s") Duration pollInterval,
            @Min(1) @Max(10_000) @DefaultValue("2000") int maxBlockRange,
            @Min(1) @Max(10_000) @DefaultValue("128") int reorgWindow) {
    }
}
