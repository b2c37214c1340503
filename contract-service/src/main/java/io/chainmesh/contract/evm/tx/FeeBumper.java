package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.transaction.AttemptPurpose;
import io.chainmesh.contract.transaction.TransactionAttempt;
import io.chainmesh.contract.transaction.TransactionRecord;

/**
 * Resubmits a transaction that has waited in the pool longer than {@code stuck-after}: the same nonce, signed again
 * with fee caps raised by {@code fee-bump-percent} (and at least the node's current suggestion), which a node accepts
 * as a replacement of the copy it holds (geth and anvil demand at least 10% more).
 */
@Component
class FeeBumper {

    private static final Logger log = LoggerFactory.getLogger(FeeBumper.class);

    private final TransactionSender sender;
    private final FeeOracle fees;
    private final ContractProperties.Transactions settings;

    FeeBumper(TransactionSender sender, FeeOracle fees, ContractProperties properties) {
        this.sender = sender;
        this.fees = fees;
        this.settings = properties.transactions();
    }

    /** Resubmits {@code t}, whose latest signed attempt is {@code latest} (a nonce filler stays a filler). */
    void bump(TransactionRecord t, TransactionAttempt latest) {
        TransactionRecord.Request r = t.request();
        TransactionRecord.Submission sub = t.submission();
        Fees current = fees.fees(t.tenantId(), t.nodeId());
        BigInteger tip = raisedBy(sub.maxPriorityFee(), settings.feeBumpPercent()).max(current.maxPriorityFeePerGas());
        BigInteger maxFee = raisedBy(sub.maxFeePerGas(), settings.feeBumpPercent()).max(current.maxFeePerGas()).max(tip);
        boolean filler = latest.purpose() == AttemptPurpose.GAP_FILL;
        SignedTransaction bumped = sender.resubmit(t, filler ? Rebroadcaster.filler(t, tip, maxFee)
                : new UnsignedTransaction(r.chainId(), BigInteger.valueOf(sub.nonce()), sub.gasLimit(), r.to(), r.value(),
                        r.data(), tip, maxFee), filler ? AttemptPurpose.GAP_FILL : AttemptPurpose.FEE_BUMP, true);
        log.info("Transaction {} (nonce {}) stuck; resubmitted as {} with max fee {} (+{}%)", t.id(), sub.nonce(),
                bumped.hash(), maxFee, settings.feeBumpPercent());
    }

    /**
     * {@code fee} raised by {@code percent}, rounded up: rounding down would let a small fee (a tip of a few wei) rise
     * by less than the 10% a node demands of a replacement, or not at all.
     */
    static BigInteger raisedBy(BigInteger fee, int percent) {
        BigInteger hundred = BigInteger.valueOf(100);
        return fee.multiply(BigInteger.valueOf(100L + percent)).add(hundred.subtract(BigInteger.ONE)).divide(hundred);
    }
}
