package io.chainmesh.contract.evm.rpc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import org.web3j.utils.Numeric;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Ethereum JSON-RPC methods the EVM connector needs, typed, sent through {@link JsonRpcBatcher}: nothing else in
 * the service builds JSON-RPC requests, and web3j's own client stays out of it (web3j is used only for keys, RLP and
 * hashing).
 */
@Component
public class EthereumRpc {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonRpcBatcher transport;
    private final AtomicLong ids = new AtomicLong();

    EthereumRpc(JsonRpcBatcher transport) {
        this.transport = transport;
    }

    /** A call or transaction template for eth_call / eth_estimateGas. {@code to} is null for contract creation. */
    public record CallRequest(String from, String to, String data, BigInteger value) {

        public ObjectNode toJson() {
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

    /** The node's suggested priority fee (tip) per gas. */
    public BigInteger maxPriorityFeePerGas(UUID tenantId, UUID nodeId) {
        return quantity(request(tenantId, nodeId, "eth_maxPriorityFeePerGas"));
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
