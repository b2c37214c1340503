package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;

/** An EIP-1559 (type 2) transaction before signing; {@code to} is null for contract creation. */
public record UnsignedTransaction(long chainId, BigInteger nonce, BigInteger gasLimit, String to, BigInteger value,
        String data, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas) {
}
