package io.chainmesh.blockchain.rpc;

import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;

/**
 * Which JSON-RPC methods a caller may use, by namespace (the part of the method name before the first {@code _}).
 * Tenants: {@code admin}, {@code personal}, {@code debug}, {@code anvil}, {@code hardhat}, {@code evm}, {@code miner}
 * and {@code txpool} are denied unless their plan re-allows the namespace
 * ({@code chainmesh.blockchain.rpc.plan-namespaces}). Internal callers (other platform services acting for a tenant)
 * may use everything except {@code admin}, {@code personal} and {@code debug}
 * ({@code chainmesh.blockchain.rpc.internal-denied}).
 */
@Component
class MethodPolicy {

    private final Set<String> denied;
    private final Map<String, Set<String>> allowedByPlan;
    private final Set<String> internalDenied;

    MethodPolicy(BlockchainProperties properties) {
        this.denied = properties.rpc().deniedNamespaces();
        this.allowedByPlan = properties.rpc().planNamespaces();
        this.internalDenied = properties.rpc().internalDenied();
    }

    static String namespaceOf(String method) {
        int underscore = method.indexOf('_');
        return underscore < 0 ? method : method.substring(0, underscore);
    }

    /** {@code true} when the caller may call the method. */
    boolean allows(String method, String plan, boolean internal) {
        String namespace = namespaceOf(method);
        if (internal) {
            return !internalDenied.contains(namespace);
        }
        if (!denied.contains(namespace)) {
            return true;
        }
        Set<String> extra = plan == null ? null : allowedByPlan.get(plan);
        return extra != null && extra.contains(namespace);
    }
}
