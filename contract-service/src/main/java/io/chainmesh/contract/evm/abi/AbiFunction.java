package io.chainmesh.contract.evm.abi;

import java.util.List;

/**
 * A function or constructor of a contract ABI.
 *
 * @param signature canonical signature, e.g. {@code store(uint256,string)}; overloads differ here
 * @param selector  first 4 bytes of keccak256(signature); empty for the constructor
 */
public record AbiFunction(String name, List<AbiParameter> inputs, List<AbiParameter> outputs, String stateMutability,
        String signature, byte[] selector) {

    public boolean isReadOnly() {
        return "view".equals(stateMutability) || "pure".equals(stateMutability);
    }

    public boolean isPayable() {
        return "payable".equals(stateMutability);
    }
}
