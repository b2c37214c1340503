package io.chainmesh.contract.evm.abi;

/** A named input, output, event field or struct member. {@code indexed} only matters for event inputs. */
public record AbiParameter(String name, AbiType type, boolean indexed) {
}
