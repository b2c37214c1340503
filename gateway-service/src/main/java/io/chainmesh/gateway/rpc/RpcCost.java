package io.chainmesh.gateway.rpc;

import java.util.Map;

/**
 * What one JSON-RPC HTTP request costs, computed at the edge from its body (single call or batch).
 *
 * @param computeUnits sum of the compute units of every call (chainmesh.gateway.rpc.compute-units)
 * @param calls        number of calls; the tenant's token bucket is charged one token per call
 * @param method       the method of a single call, {@code "batch"} for a batch, null if unreadable
 * @param methods      calls per method
 */
public record RpcCost(int computeUnits, int calls, String method, Map<String, Integer> methods) {

    public static final String ATTRIBUTE = RpcCost.class.getName();
}
