package io.chainmesh.contract.evm.rpc;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractErrors;

/**
 * A JSON-RPC error object returned by the node. {@code data} carries revert data for reverted executions. Where no
 * caller turns it into something more specific (a decoded revert, a FAILED transaction) it reaches the client as a
 * 502 {@code chain_error}: the node, not the request, failed.
 */
public class RpcErrorException extends ApiException {

    private final long code;
    private final String data;
    private final RpcErrorKind kind;

    public RpcErrorException(long code, String message, String data) {
        super(ContractErrors.CHAIN_ERROR.status(), ContractErrors.CHAIN_ERROR.code(), ContractErrors.CHAIN_ERROR.title(), message);
        this.code = code;
        this.data = data;
        this.kind = RpcErrorKind.of(code, message);
        with("rpcCode", code);
    }

    public long rpcCode() {
        return code;
    }

    public String data() {
        return data;
    }

    /** What the error means, classified when it was received. */
    public RpcErrorKind kind() {
        return kind;
    }

    /** Geth, anvil and besu report a reverted call as code 3 (or -32000/-32015 with "revert" in the message). */
    public boolean isRevert() {
        return kind == RpcErrorKind.EXECUTION_REVERTED;
    }
}
