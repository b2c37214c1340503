package io.chainmesh.contract.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;
import org.web3j.utils.Numeric;

import io.chainmesh.contract.ContractProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Ethereum JSON-RPC methods contract-service needs, typed, over a {@link JsonRpcTransport}. This is our chain
 * interface: nothing else in the service builds JSON-RPC requests, and web3j stays out of it (web3j is used only for
 * keys, signing and hashing in custody).
 */
@Component
public class EthereumRpc {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonRpcTransport transport;
    private final ContractProperties.Transactions settings;
    private final AtomicLong ids = new AtomicLong();
    private final Map<UUID, CachedFees> fees = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> feeLookups = new ConcurrentHashMap<>();

    EthereumRpc(JsonRpcTransport transport, ContractProperties properties) {
        this.transport = transport;
        this.settings = properties.transactions();
    }

    /** A call or transaction template for eth_call / eth_estimateGas. {@code to} is null for contract creation. */
    public record CallRequest(String from, String to, String data, BigInteger value) {

        ObjectNode toJson() {
            ObjectNode o = NODES.objectNode();
            if (from != null) {
                o.put("from", from);
            }
            if (to != null) {
                o.put("to", to);
            }
            o.put("data", data);
            if (value != null && value.signum() > 0) {
                o.put("value", Numeric.toHexStringWithPrefix(value));
            }
            return o;
        }
    }

    /** EIP-1559 fee caps for a new transaction. */
    public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    }

    private record CachedFees(Fees fees, long expiresAtNanos) {
    }

    public JsonNode request(UUID tenantId, UUID nodeId, String method, Object... params) {
        JsonNode response = transport.send(tenantId, nodeId, envelope(method, params));
        return result(response);
    }

    /** Several requests in one JSON-RPC batch; results in request order, errors as {@link RpcErrorException}s. */
    public List<Object> batch(UUID tenantId, UUID nodeId, List<Object[]> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        ArrayNode batch = NODES.arrayNode();
        Map<Long, Integer> positions = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            Object[] call = calls.get(i);
            Object[] params = new Object[call.length - 1];
            System.arraycopy(call, 1, params, 0, params.length);
            ObjectNode request = envelope((String) call[0], params);
            positions.put(request.get("id").asLong(), i);
            batch.add(request);
        }
        JsonNode response = transport.send(tenantId, nodeId, batch);
        List<Object> results = new ArrayList<>(java.util.Collections.nCopies(calls.size(), null));
        if (!response.isArray()) {
            // A whole-batch error (e.g. batch too large): every call failed the same way.
            RpcErrorException error = error(response);
            results.replaceAll(r -> error);
            return results;
        }
        for (JsonNode item : response) {
            Integer position = positions.get(item.path("id").asLong(-1));
            if (position != null) {
                results.set(position, item.has("error") ? error(item) : item.path("result"));
            }
        }
        return results;
    }

    private ObjectNode envelope(String method, Object... params) {
        ObjectNode request = NODES.objectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            if (p instanceof JsonNode node) {
                array.add(node);
            } else if (p instanceof Boolean b) {
                array.add(b);
            } else {
                array.add(String.valueOf(p));
            }
        }
        return request;
    }

    private static JsonNode result(JsonNode response) {
        if (response.has("error")) {
            throw error(response);
        }
        return response.path("result");
    }

    private static RpcErrorException error(JsonNode response) {
        JsonNode error = response.path("error");
        JsonNode data = error.path("data");
        String revertData = data.isString() ? data.stringValue() : data.path("data").isString() ? data.path("data").stringValue() : null;
        return new RpcErrorException(error.path("code").asLong(0), error.path("message").asString("unknown error"), revertData);
    }

    public long blockNumber(UUID tenantId, UUID nodeId) {
        return quantity(request(tenantId, nodeId, "eth_blockNumber")).longValueExact();
    }

    public BigInteger transactionCount(UUID tenantId, UUID nodeId, String address, String blockTag) {
        return quantity(request(tenantId, nodeId, "eth_getTransactionCount", address, blockTag));
    }

    /** Gas estimate; a revert surfaces as {@link RpcErrorException} with {@link RpcErrorException#isRevert()}. */
    public BigInteger estimateGas(UUID tenantId, UUID nodeId, CallRequest call) {
        return quantity(request(tenantId, nodeId, "eth_estimateGas", call.toJson()));
    }

    public String call(UUID tenantId, UUID nodeId, CallRequest call, String blockTag) {
        return request(tenantId, nodeId, "eth_call", call.toJson(), blockTag).asString();
    }

    public String sendRawTransaction(UUID tenantId, UUID nodeId, String raw) {
        return request(tenantId, nodeId, "eth_sendRawTransaction", raw).asString();
    }

    /** The block's header fields, or null when the node has no such block. */
    public JsonNode block(UUID tenantId, UUID nodeId, String blockTag) {
        JsonNode block = request(tenantId, nodeId, "eth_getBlockByNumber", blockTag, false);
        return block.isNull() || block.isMissingNode() ? null : block;
    }

    public JsonNode logs(UUID tenantId, UUID nodeId, ObjectNode filter) {
        return request(tenantId, nodeId, "eth_getLogs", filter);
    }

    /**
     * EIP-1559 fee caps: the node's suggested tip and twice the latest base fee plus the tip, so the cap survives
     * six consecutive full blocks (each may raise the base fee 12.5%). Cached per node briefly, so a burst of sends
     * does not cost a fee lookup each; when the entry expires, one caller looks the fees up and the others wait for
     * its answer instead of all asking the node at once.
     */
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
            tip = quantity(request(tenantId, nodeId, "eth_maxPriorityFeePerGas"));
        } catch (RpcErrorException e) {
            tip = BigInteger.valueOf(settings.defaultPriorityFee());
        }
        JsonNode latest = block(tenantId, nodeId, "latest");
        BigInteger baseFee = latest == null || !latest.path("baseFeePerGas").isString() ? BigInteger.ZERO
                : quantity(latest.path("baseFeePerGas"));
        Fees result = new Fees(baseFee.shiftLeft(1).add(tip), tip);
        fees.put(nodeId, new CachedFees(result, System.nanoTime() + settings.feeCacheTtl().toNanos()));
        return result;
    }

    /** A JSON-RPC quantity ({@code 0x}-prefixed hex, as the spec says; a decimal string is tolerated). */
    public static BigInteger quantity(JsonNode node) {
        if (node == null || !node.isString()) {
            throw new RpcErrorException(-32603, "expected a hex quantity but got " + node, null);
        }
        String text = node.stringValue();
        // Parsed here rather than by web3j's Numeric.decodeQuantity, which first tries the text as a decimal long and
        // so throws (and fills the stack trace of) a NumberFormatException for every hex quantity it is given.
        if (text.length() > 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')
                && Character.digit(text.charAt(2), 16) >= 0) {
            try {
                return new BigInteger(text.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new RpcErrorException(-32603, "expected a hex quantity but got " + node, null);
            }
        }
        try {
            return Numeric.decodeQuantity(text);
        } catch (RuntimeException e) {
            throw new RpcErrorException(-32603, "expected a hex quantity but got " + node, null);
        }
    }

    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
