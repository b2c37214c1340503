package io.chainmesh.contract.wallet;

/** A signed transaction ready for eth_sendRawTransaction, and its hash. */
public record SignedTransaction(String raw, String hash) {
}
