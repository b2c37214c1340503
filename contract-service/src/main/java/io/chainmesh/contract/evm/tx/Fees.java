package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;

/** EIP-1559 fee caps for a new transaction. */
public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
}
