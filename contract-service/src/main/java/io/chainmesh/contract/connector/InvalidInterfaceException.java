package io.chainmesh.contract.connector;

/**
 * A contract interface document that cannot be used. The message starts with the path of what is wrong, then a
 * colon, e.g. {@code abi[0].inputs[1].type: unknown type 'uint7'}.
 */
public class InvalidInterfaceException extends RuntimeException {

    public InvalidInterfaceException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
