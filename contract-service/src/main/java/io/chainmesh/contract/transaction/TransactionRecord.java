package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code transactions} in three typed parts: what was asked for, how it was submitted to the chain, and
 * where it stands. Internal; answered as {@link TransactionView}.
 *
 * @param request    who asked for what; fixed at insert, except the stored response
 * @param submission the nonce, gas and fee caps it is signed with, the signed form and its delivery
 * @param outcome    its status and what the chain said about it
 */
public record TransactionRecord(Request request, Submission submission, Outcome outcome) {

    /**
     * @param from           sender address
     * @param to             recipient, null for a contract creation
     * @param args           the request's arguments as JSON text
     * @param data           call data or initcode, hex
     * @param confirmations  depth (blocks including its own) it must reach to be CONFIRMED; null on rows older than the
     *                       column, for which the configured default applies
     * @param response       the JSON answered to the first request, replayed to an idempotent retry
     */
    public record Request(UUID id, UUID tenantId, TransactionKind kind, UUID nodeId, long chainId, UUID walletId,
            UUID instanceId, UUID contractId, String from, String to, String method, String args, String data,
            BigInteger value, Integer confirmations, String idempotencyKey, String requestHash, String response,
            Instant createdAt) {

        public Request withResponse(String other) {
            return new Request(id, tenantId, kind, nodeId, chainId, walletId, instanceId, contractId, from, to, method,
                    args, data, value, confirmations, idempotencyKey, requestHash, other, createdAt);
        }
    }

    /**
     * @param nonce          null while none is allocated (and for a request refused before one was)
     * @param hash           hash of the latest signed attempt
     * @param raw            the latest signed attempt, null until signed
     * @param broadcastAt    when it was last handed to the node
     * @param broadcastError the node's refusal, when it refused the transaction for good
     * @param resubmissions  signed attempts after the first (fee bumps, nonce fillers)
     */
    public record Submission(Long nonce, BigInteger gasLimit, BigInteger maxFeePerGas, BigInteger maxPriorityFee,
            String hash, String raw, Instant broadcastAt, String broadcastError, int resubmissions) {

        /** Nothing allocated or signed yet. */
        public static final Submission NONE = new Submission(null, null, null, null, null, null, null, null, 0);

        public Submission signed(String signedHash, String signedRaw) {
            return new Submission(nonce, gasLimit, maxFeePerGas, maxPriorityFee, signedHash, signedRaw, broadcastAt,
                    broadcastError, resubmissions);
        }
    }

    /**
     * @param revertReason one line: the decoded revert, or why it failed or was replaced
     * @param revert       the decoded revert as JSON text
     */
    public record Outcome(TransactionStatus status, Long blockNumber, String blockHash, BigInteger gasUsed,
            String contractAddress, String revertReason, String revert, Instant updatedAt, Instant minedAt,
            Instant confirmedAt) {

        /** A new transaction's state. */
        public static Outcome of(TransactionStatus status, String revertReason, String revert, Instant at) {
            return new Outcome(status, null, null, null, null, revertReason, revert, at, null, null);
        }
    }

    public UUID id() {
        return request.id();
    }

    public UUID tenantId() {
        return request.tenantId();
    }

    public UUID nodeId() {
        return request.nodeId();
    }

    public TransactionStatus status() {
        return outcome.status();
    }

    public TransactionRecord withResponse(String response) {
        return new TransactionRecord(request.withResponse(response), submission, outcome);
    }

    public TransactionRecord withSignature(String hash, String raw) {
        return new TransactionRecord(request, submission.signed(hash, raw), outcome);
    }
}
