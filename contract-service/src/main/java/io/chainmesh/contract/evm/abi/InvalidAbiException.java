package io.chainmesh.contract.evm.abi;

/** An ABI document that cannot be used; the message names the entry and field that is wrong. */
public class InvalidAbiException extends RuntimeException {

    public InvalidAbiException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
