package io.chainmesh.common.events;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code usage.recorded}: one billable request (or one WebSocket's usage since its last flush).
 *
 * @param keyId         the API key, {@code null} for a portal session
 * @param principal     who called
 * @param route         the gateway route ({@code rpc}, {@code rpc-ws}, ...)
 * @param method        HTTP method, {@code WS} for a socket
 * @param path          the path as a template ({@code /v1/nodes/{id}}), never with a key in it
 * @param nodeId        the node a JSON-RPC call went to, when known
 * @param rpcMethod     the JSON-RPC method, {@code batch} for several
 * @param rpcCalls      calls in a batch, only when more than one
 * @param rpcMethods    calls per method, only for a batch
 * @param status        HTTP status answered
 * @param latencyMs     time to answer
 * @param requestBytes  request body size
 * @param responseBytes response body size
 * @param computeUnits  what was charged against the month's allowance
 *
 * <p>{@code keyId} and {@code rpcMethod} are always on the wire, {@code null} for a portal session and for a call
 * that is not JSON-RPC (or names no method); the other optional fields appear only when set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageRecorded(@JsonInclude(JsonInclude.Include.ALWAYS) UUID keyId, String principal, String route,
        String method, String path, UUID nodeId, @JsonInclude(JsonInclude.Include.ALWAYS) String rpcMethod,
        Integer rpcCalls, Map<String, Integer> rpcMethods, int status, double latencyMs,
        long requestBytes, long responseBytes, long computeUnits) implements PlatformEvent {
}
