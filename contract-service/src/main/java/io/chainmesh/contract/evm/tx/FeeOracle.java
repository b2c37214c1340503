package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.contract.evm.rpc.RpcErrorException;
import tools.jackson.databind.JsonNode;

/**
 * EIP-1559 fee caps for new transactions: the node's suggested tip and twice the latest base fee plus the tip, so the
 * cap survives six consecutive full blocks (each may raise the base fee 12.5%). Cached per node for
 * {@code fee-cache-ttl}, so a burst of sends does not cost a fee lookup each; when the entry expires, one caller's
 * lookup is shared by every caller that asks meanwhile instead of all asking the node at once.
 */
@Component
public class FeeOracle {

    private static final int MAX_NODES = 10_000;

    private final EthereumRpc rpc;
    private final ContractProperties.Transactions settings;
    private final AsyncCache<UUID, Fees> fees;

    FeeOracle(EthereumRpc rpc, ContractProperties properties, Ticker ticker) {
        this.rpc = rpc;
        this.settings = properties.transactions();
        // Asynchronous, so that the lookup (two node calls) runs outside the cache's locks; the expiry of an entry
        // counts from when its lookup completed.
        this.fees = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(settings.feeCacheTtl()).maximumSize(MAX_NODES)
                .buildAsync();
    }

    public Fees fees(UUID tenantId, UUID nodeId) {
        CompletableFuture<Fees> mine = new CompletableFuture<>();
        CompletableFuture<Fees> shared = fees.get(nodeId, (node, executor) -> mine);
        if (shared == mine) {
            // This caller looks the fees up, in its own thread and outside the cache's locks; whoever asks meanwhile
            // waits for its answer. Completing the future is what starts the entry's time to live.
            try {
                mine.complete(lookUp(tenantId, nodeId));
            } catch (Throwable e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return shared.join();
        } catch (CompletionException e) {
            // A failed lookup is not cached: the next caller asks the node again.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private Fees lookUp(UUID tenantId, UUID nodeId) {
        BigInteger tip;
        try {
            tip = rpc.maxPriorityFeePerGas(tenantId, nodeId);
        } catch (RpcErrorException e) {
            tip = BigInteger.valueOf(settings.defaultPriorityFee());
        }
        JsonNode latest = rpc.block(tenantId, nodeId, "latest");
        BigInteger baseFee = latest == null || !latest.path("baseFeePerGas").isString() ? BigInteger.ZERO
                : EthereumRpc.quantity(latest.path("baseFeePerGas"));
        return new Fees(baseFee.shiftLeft(1).add(tip), tip);
    }
}
