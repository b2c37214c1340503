package io.chainmesh.contract.connector;

import java.math.BigInteger;

/**
 * A deployment or call encoded for the chain.
 *
 * @param method the function's signature, {@code constructor} for a deployment
 * @param data   what the chain executes (EVM: call data, or initcode with the constructor arguments), hex
 * @param value  the native amount sent along, null for none
 */
public record Invocation(String method, String data, BigInteger value) {
}
