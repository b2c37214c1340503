package io.chainmesh.contract.evm.abi;

import java.util.List;

/** An event of a contract ABI; {@code topic0} is keccak256 of the signature (absent for anonymous events). */
public record AbiEvent(String name, List<AbiParameter> inputs, boolean anonymous, String signature, String topic0) {
}
