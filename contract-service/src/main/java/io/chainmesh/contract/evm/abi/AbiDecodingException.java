package io.chainmesh.contract.evm.abi;

/** Return data or log data that does not decode as the ABI says (wrong contract at the address, or a bad ABI). */
public class AbiDecodingException extends RuntimeException {

    public AbiDecodingException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
