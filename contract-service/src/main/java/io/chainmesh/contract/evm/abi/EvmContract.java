package io.chainmesh.contract.evm.abi;

import java.util.List;

import io.chainmesh.contract.connector.ContractInterface;

/** A contract interface as the EVM connector knows it: a parsed Solidity ABI. */
public record EvmContract(ContractAbi abi) implements ContractInterface {

    /** The node protocol of EVM chains, as blockchain-service names it. */
    public static final String PROTOCOL = "ethereum";

    /** The ABI inside {@code contract}, which the EVM connector parsed. */
    public static ContractAbi abiOf(ContractInterface contract) {
        if (contract instanceof EvmContract evm) {
            return evm.abi();
        }
        throw new IllegalArgumentException("not an EVM contract interface: " + contract.protocol());
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public List<String> functionSignatures() {
        return abi.functions().stream().map(AbiFunction::signature).toList();
    }

    @Override
    public List<String> eventSignatures() {
        return abi.events().stream().map(AbiEvent::signature).toList();
    }

    @Override
    public List<String> errorSignatures() {
        return abi.errors().stream().map(AbiError::signature).toList();
    }

    @Override
    public String functionSignature(String nameOrSignature) {
        return abi.function(nameOrSignature).signature();
    }
}
