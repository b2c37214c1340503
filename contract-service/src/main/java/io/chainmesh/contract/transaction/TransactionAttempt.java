package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.util.UUID;

/** One signed version of a transaction: the original, a fee bump or a nonce filler. */
public record TransactionAttempt(String hash, UUID transactionId, AttemptPurpose purpose, String raw,
        BigInteger maxFeePerGas) {
}
