package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.contract.evm.rpc.RpcErrorException;
import tools.jackson.databind.JsonNode;

/**
 * EIP-1559 fee caps for new transactions: the node's suggested tip and twice the latest base fee plus the tip, so the
 * cap survives six consecutive full blocks (each may raise the base fee 12.5%). Cached per node briefly, so a burst
 * of sends does not cost a fee lookup each; when the entry expires, one caller looks the fees up and the others wait
 * for its answer instead of all asking the node at once.
 */
@Component
public class FeeOracle {

    private record CachedFees(Fees fees, long expiresAtNanos) {
    }

    private final EthereumRpc rpc;
    private final ContractProperties.Transactions settings;
    private final Map<UUID, CachedFees> fees = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> feeLookups = new ConcurrentHashMap<>();

    FeeOracle(EthereumRpc rpc, ContractProperties properties) {
        this.rpc = rpc;
        this.settings = properties.transactions();
    }

    public Fees fees(UUID tenantId, UUID nodeId) {
        Fees fresh = cachedFees(nodeId);
        if (fresh != null) {
            return fresh;
        }
        ReentrantLock lookup = feeLookups.computeIfAbsent(nodeId, k -> new ReentrantLock());
        lookup.lock();
        try {
            fresh = cachedFees(nodeId);
            return fresh != null ? fresh : lookUpFees(tenantId, nodeId);
        } finally {
            lookup.unlock();
        }
    }

    private Fees cachedFees(UUID nodeId) {
        CachedFees cached = fees.get(nodeId);
        return cached != null && cached.expiresAtNanos() - System.nanoTime() > 0 ? cached.fees() : null;
    }

    private Fees lookUpFees(UUID tenantId, UUID nodeId) {
        BigInteger tip;
        try {
            tip = rpc.maxPriorityFeePerGas(tenantId, nodeId);
        } catch (RpcErrorException e) {
            tip = BigInteger.valueOf(settings.defaultPriorityFee());
        }
        JsonNode latest = rpc.block(tenantId, nodeId, "latest");
        BigInteger baseFee = latest == null || !latest.path("baseFeePerGas").isString() ? BigInteger.ZERO
                : EthereumRpc.quantity(latest.path("baseFeePerGas"));
        Fees result = new Fees(baseFee.shiftLeft(1).add(tip), tip);
        fees.put(nodeId, new CachedFees(result, System.nanoTime() + settings.feeCacheTtl().toNanos()));
        return result;
    }
}
