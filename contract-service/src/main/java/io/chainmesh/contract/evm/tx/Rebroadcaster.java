package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.chainmesh.contract.transaction.AttemptPurpose;
import io.chainmesh.contract.transaction.TransactionRecord;

/**
 * Keeps an account's nonces moving when a transaction did not reach the chain: sends again what the node lost or never
 * got (after {@code rebroadcast-after}, or at once after a reorganisation), signs what was allocated but never signed
 * (the service stopped in between), and fills the nonce of a transaction the node refused for good with a no-op, so
 * the account's later transactions are not held back behind the gap.
 */
@Component
class Rebroadcaster {

    private static final Logger log = LoggerFactory.getLogger(Rebroadcaster.class);
    private static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);

    private final TransactionSender sender;
    private final FeeOracle fees;

    Rebroadcaster(TransactionSender sender, FeeOracle fees) {
        this.sender = sender;
        this.fees = fees;
    }

    /** Sends the latest signed attempt of {@code t} again. */
    void rebroadcast(TransactionRecord t, String raw) {
        sender.broadcast(t, raw);
    }

    /** Signs an allocated, never signed transaction (deterministic signatures make it the same transaction) and sends it. */
    void signAndSend(TransactionRecord t) {
        TransactionRecord signed = sender.signAllocated(t);
        sender.broadcast(signed, signed.submission().raw());
    }

    /**
     * The node refused the transaction for good (e.g. intrinsic gas too low), which would leave a nonce gap that
     * blocks every later transaction of the account. A zero-value self-transfer takes the nonce instead.
     */
    void fillRefusedNonce(TransactionRecord t) {
        Fees caps = fees.fees(t.tenantId(), t.nodeId());
        SignedTransaction filler = sender.resubmit(t, filler(t, caps.maxPriorityFeePerGas(), caps.maxFeePerGas()),
                AttemptPurpose.GAP_FILL, false);
        log.info("Filling refused nonce {} of {} with no-op {}", t.submission().nonce(), t.request().from(), filler.hash());
    }

    /** A zero-value transfer of {@code t}'s sender to itself with {@code t}'s nonce: it only takes the nonce. */
    static UnsignedTransaction filler(TransactionRecord t, BigInteger tip, BigInteger maxFee) {
        return new UnsignedTransaction(t.request().chainId(), BigInteger.valueOf(t.submission().nonce()), TRANSFER_GAS,
                t.request().from(), BigInteger.ZERO, "0x", tip, maxFee);
    }
}
