package io.chainmesh.contract.evm.rpc;

import java.util.List;
import java.util.Locale;

/**
 * What a node's JSON-RPC error means, decided once where the error enters the service. Error codes are not
 * standardised beyond JSON-RPC's own (geth, anvil and besu answer most transaction pool verdicts with -32000), so
 * the kind is read from the code where one is defined (3: execution reverted) and otherwise from the message, as
 * these nodes word it.
 */
public enum RpcErrorKind {

    /** The EVM reverted the call or estimation; the error's data carries the revert. */
    EXECUTION_REVERTED,
    /** The pool already holds this very transaction. */
    ALREADY_KNOWN,
    /** The nonce was used already: by this transaction (mined), or by another of the account. */
    NONCE_TOO_LOW,
    /** A transaction with the same nonce and fees at least as high is in the pool. */
    REPLACEMENT_UNDERPRICED,
    /** The account cannot pay gas times fee cap plus value. */
    INSUFFICIENT_FUNDS,
    /** The gas limit is below the intrinsic cost or above what a block can hold. */
    GAS_LIMIT,
    /** The fee caps are inconsistent (tip above the fee cap) or above the node's configured cap. */
    FEE_CAP,
    /** Not a transaction this chain accepts: bad signature or sender, wrong chain id, unsupported type, too large. */
    INVALID_TRANSACTION,
    /** The node (or blockchain-service in front of it) could not serve the request right now. */
    UNAVAILABLE,
    /** Anything else; treated as transient. */
    UNKNOWN;

    private record Pattern(RpcErrorKind kind, List<String> phrases) {
    }

    // In order: the first kind with a phrase in the message wins.
    private static final List<Pattern> PHRASES = List.of(
            new Pattern(ALREADY_KNOWN, List.of("already known", "already imported", "known transaction", "already exists")),
            new Pattern(NONCE_TOO_LOW, List.of("nonce too low")),
            new Pattern(REPLACEMENT_UNDERPRICED, List.of("replacement transaction underpriced")),
            new Pattern(INSUFFICIENT_FUNDS, List.of("insufficient funds")),
            new Pattern(GAS_LIMIT, List.of("intrinsic gas", "exceeds block gas limit", "gas limit reached")),
            new Pattern(FEE_CAP, List.of("tip higher than fee cap", "max priority fee per gas higher",
                    "exceeds the configured cap")),
            new Pattern(INVALID_TRANSACTION, List.of("invalid sender", "invalid signature", "oversized data",
                    "invalid chain id", "incorrect chain id", "not supported")),
            new Pattern(UNAVAILABLE, List.of("unavailable", "every upstream failed")));

    /**
     * The kind of an error with JSON-RPC {@code code} and {@code message}. A revert is recognised first (code 3, or
     * "revert" anywhere in the message, as hardhat and besu word it), so a revert reason that happens to read like a
     * pool verdict ("insufficient funds") stays a revert.
     */
    public static RpcErrorKind of(long code, String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (code == 3 || m.contains("revert")) {
            return EXECUTION_REVERTED;
        }
        for (Pattern p : PHRASES) {
            for (String phrase : p.phrases()) {
                if (m.contains(phrase)) {
                    return p.kind();
                }
            }
        }
        return UNKNOWN;
    }

    /** An answer to {@code eth_sendRawTransaction} meaning the node has the transaction, or a later state. */
    public boolean meansDelivered() {
        return this == ALREADY_KNOWN || this == NONCE_TOO_LOW || this == REPLACEMENT_UNDERPRICED;
    }

    /**
     * A node's verdict on the transaction itself, which sending it again cannot change. Anything else, notably proxy
     * or transport errors, is transient: a wrongly permanent verdict would burn the nonce.
     */
    public boolean refusesTransaction() {
        return this == INSUFFICIENT_FUNDS || this == GAS_LIMIT || this == FEE_CAP || this == INVALID_TRANSACTION;
    }
}
