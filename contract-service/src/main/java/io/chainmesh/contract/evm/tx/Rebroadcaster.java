package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.contract.transaction.AttemptPurpose;
import io.chainmesh.contract.transaction.TransactionLedger;
import io.chainmesh.contract.transaction.TransactionRecord;
import io.chainmesh.contract.wallet.Wallet;
import io.chainmesh.contract.wallet.Wallets;

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
    private final TransactionLedger ledger;
    private final TransactionSigner signer;
    private final FeeOracle fees;
    private final EthereumRpc rpc;
    private final Wallets wallets;
    private final TransactionTemplate tx;

    Rebroadcaster(TransactionSender sender, TransactionLedger ledger, TransactionSigner signer, FeeOracle fees,
            EthereumRpc rpc, Wallets wallets, TransactionTemplate tx) {
        this.sender = sender;
        this.ledger = ledger;
        this.signer = signer;
        this.fees = fees;
        this.rpc = rpc;
        this.wallets = wallets;
        this.tx = tx;
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
        Wallet wallet = wallets.require(t.tenantId(), t.request().walletId());
        Fees caps = fees.fees(t.tenantId(), t.nodeId());
        SignedTransaction filler = signer.sign(wallet.key(), filler(t, caps.maxPriorityFeePerGas(), caps.maxFeePerGas()));
        tx.executeWithoutResult(s -> ledger.recordResubmission(t, AttemptPurpose.GAP_FILL, filler.hash(), filler.raw(),
                caps.maxFeePerGas(), caps.maxPriorityFeePerGas(), false));
        log.info("Filling refused nonce {} of {} with no-op {}", t.submission().nonce(), t.request().from(), filler.hash());
        try {
            rpc.sendRawTransaction(t.tenantId(), t.nodeId(), filler.raw());
        } catch (RuntimeException e) {
            log.info("No-op filler {} not accepted yet: {}", filler.hash(), e.getMessage());
        }
    }

    /** A zero-value transfer of {@code t}'s sender to itself with {@code t}'s nonce: it only takes the nonce. */
    static UnsignedTransaction filler(TransactionRecord t, BigInteger tip, BigInteger maxFee) {
        return new UnsignedTransaction(t.request().chainId(), BigInteger.valueOf(t.submission().nonce()), TRANSFER_GAS,
                t.request().from(), BigInteger.ZERO, "0x", tip, maxFee);
    }
}
