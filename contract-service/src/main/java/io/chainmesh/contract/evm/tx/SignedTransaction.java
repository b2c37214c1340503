package io.chainmesh.contract.evm.tx;

/** A signed transaction ready for eth_sendRawTransaction, and its hash. */
public record SignedTransaction(String raw, String hash) {
}
