package io.chainmesh.contract.evm.abi;

/**
 * A JSON value that does not fit its ABI type. {@code path} points at the value, e.g. {@code args.order.items[1].tag},
 * so the 400 a caller gets says exactly which argument is wrong.
 */
public class AbiArgumentException extends RuntimeException {

    private final String path;

    public AbiArgumentException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public String path() {
        return path;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
