package io.chainmesh.contract.evm.abi;

import java.util.List;

/** A custom error of a contract ABI (Solidity 0.8.4+), matched against revert data by its selector. */
public record AbiError(String name, List<AbiParameter> inputs, String signature, String selectorHex) {
}
