package io.chainmesh.contract.evm.rpc;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;

/**
 * A JSON-RPC error object returned by the node. {@code data} carries revert data for reverted executions. Where no
 * caller turns it into something more specific (a decoded revert, a FAILED transaction) it reaches the client as a
 * 502 {@code chain_error}: the node, not the request, failed.
 */
public class RpcErrorException extends ApiException {

    private final long code;
    private final String data;

    public RpcErrorException(long code, String message, String data) {
        super(HttpStatus.BAD_GATEWAY, "chain_error", "Chain error", message);
        this.code = code;
        this.data = data;
        with("rpcCode", code);
    }

    public long rpcCode() {
        return code;
    }

    public String data() {
        return data;
    }

    /** Geth, anvil and besu report a reverted call as code 3 (or -32000/-32015 with "revert" in the message). */
    public boolean isRevert() {
        String m = getMessage() == null ? "" : getMessage().toLowerCase();
        return code == 3 || m.contains("revert");
    }
}
