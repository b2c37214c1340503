package io.chainmesh.contract.connector;

import java.util.List;

/**
 * A contract's interface as its chain's connector parsed it: what the API lists, and the connector's own form of it
 * for encoding and decoding. Definitions are immutable, so a parsed interface is cached and shared.
 */
public interface ContractInterface {

    /** The protocol of the connector that parsed it. */
    String protocol();

    /** Every function's signature, e.g. {@code transfer(address,uint256)}. */
    List<String> functionSignatures();

    List<String> eventSignatures();

    List<String> errorSignatures();

    /**
     * The signature of the function named {@code nameOrSignature}; a 400 {@code unknown_function} or
     * {@code ambiguous_function} when there is none or the name is overloaded.
     */
    String functionSignature(String nameOrSignature);
}
