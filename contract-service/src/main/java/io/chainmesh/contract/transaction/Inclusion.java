package io.chainmesh.contract.transaction;

import java.math.BigInteger;

/**
 * Where the chain included a transaction, from its receipt.
 *
 * @param contractAddress the created contract, for a deployment that succeeded; null otherwise
 */
public record Inclusion(long blockNumber, String blockHash, BigInteger gasUsed, String contractAddress) {
}
