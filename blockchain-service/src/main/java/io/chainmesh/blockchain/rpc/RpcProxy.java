package io.chainmesh.blockchain.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.node.NodeStatus;
import io.chainmesh.blockchain.rpc.NodeRoutes.NodeRoute;
import io.chainmesh.blockchain.rpc.UpstreamPools.AllUpstreamsFailed;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON-RPC 2.0 proxy (https://www.jsonrpc.org/specification) in front of a node's upstreams: single and batch
 * requests, method policy, the immutable-result cache and failover. Transparent: a forwarded single request goes out
 * byte for byte and its answer comes back byte for byte; in a batch, each answer's {@code result}/{@code error} is the
 * node's and only the {@code id} is mapped back to the caller's (the proxy renumbers ids so that duplicate ids in a
 * caller's batch cannot be confused).
 *
 * <p>Errors about a call (denied method, malformed call, every upstream down) are JSON-RPC errors in a 200, as
 * clients expect; errors about the node (unknown: 404, not running: 409) are problem details.
 */
@Component
class RpcProxy {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_ALLOWED = -32601;
    static final int UPSTREAM_UNAVAILABLE = -32603;

    /** Methods after which blocks we took as final may have been replaced. */
    private static final Set<String> HISTORY_REWRITING = Set.of("evm_revert", "anvil_reorg", "anvil_rollback",
            "anvil_reset", "anvil_loadState", "hardhat_reset");

    private final NodeRoutes routes;
    private final UpstreamPools upstreams;
    private final MethodPolicy policy;
    private final RpcCache cache;
    private final ChainHeads heads;
    private final JsonMapper json;

    RpcProxy(NodeRoutes routes, UpstreamPools upstreams, MethodPolicy policy, RpcCache cache, ChainHeads heads,
            JsonMapper json) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.policy = policy;
        this.cache = cache;
        this.heads = heads;
        this.json = json;
    }

    /** Who is calling: a tenant through the public endpoint, or a platform service through the internal one. */
    record RpcCaller(UUID tenantId, String plan, boolean internal) {
    }

    /** The node, if the caller owns it and it is running; otherwise the problem to answer with. */
    NodeRoute routeFor(RpcCaller caller, UUID nodeId) {
        NodeRoute route = routes.find(caller.tenantId(), nodeId).orElseThrow(() -> BlockchainErrors.NODE_NOT_FOUND
                .exception("node " + nodeId + " was not found"));
        if (route.status() != NodeStatus.RUNNING || route.upstreams().isEmpty()) {
            throw BlockchainErrors.NODE_NOT_RUNNING.exception("Node " + nodeId + " is " + route.status()
                    + "; JSON-RPC is served while it is RUNNING.").with("status", route.status().name());
        }
        return route;
    }

    ResponseEntity<byte[]> handle(RpcCaller caller, UUID nodeId, byte[] body) {
        NodeRoute route = routeFor(caller, nodeId);
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            return ok(json.writeValueAsBytes(error(null, PARSE_ERROR, "Parse error")));
        }
        if (request != null && request.isObject()) {
            return single(caller, route, (ObjectNode) request, body);
        }
        if (request != null && request.isArray() && !request.isEmpty()) {
            return batch(caller, route, (ArrayNode) request);
        }
        return ok(json.writeValueAsBytes(error(null, INVALID_REQUEST, "Invalid Request")));
    }

    /** Same as {@link #handle} for one already parsed call, answering with the response object (WebSocket). */
    private ResponseEntity<byte[]> single(RpcCaller caller, NodeRoute route, ObjectNode call, byte[] body) {
        Outcome outcome = prepare(caller, route, call);
        if (outcome.answer() != null) {
            return call.has("id") ? ok(outcome.answer()) : ok(new byte[0]);
        }
        byte[] answer;
        try {
            answer = upstreams.send(route.id(), route.upstreams(), body);
        } catch (AllUpstreamsFailed e) {
            return ok(json.writeValueAsBytes(error(call.get("id"), UPSTREAM_UNAVAILABLE,
                    "Node unavailable: every upstream failed")));
        }
        if (outcome.needsAnswer()) {
            try {
                JsonNode response = json.readTree(answer);
                if (response != null && response.isObject()) {
                    afterAnswer(route, outcome, response);
                }
            } catch (JacksonException e) {
                // Not JSON: passed through as the node sent it; nothing to learn from it.
            }
        }
        return ok(answer);
    }

    private ResponseEntity<byte[]> batch(RpcCaller caller, NodeRoute route, ArrayNode calls) {
        int size = calls.size();
        JsonNode[] answers = new JsonNode[size];
        Outcome[] outcomes = new Outcome[size];
        ArrayNode forward = json.createArrayNode();
        List<Integer> forwardedIndex = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            JsonNode call = calls.get(i);
            if (!call.isObject()) {
                answers[i] = error(null, INVALID_REQUEST, "Invalid Request");
                continue;
            }
            Outcome outcome = prepare(caller, route, (ObjectNode) call);
            outcomes[i] = outcome;
            if (outcome.answer() != null) {
                answers[i] = call.has("id") ? json.readTree(outcome.answer()) : null;
                continue;
            }
            ObjectNode copy = ((ObjectNode) call).deepCopy();
            if (call.has("id")) {
                copy.put("id", forward.size());
            }
            forward.add(copy);
            forwardedIndex.add(call.has("id") ? i : -1);
        }
        if (!forward.isEmpty()) {
            try {
                JsonNode response = json.readTree(upstreams.send(route.id(), route.upstreams(),
                        json.writeValueAsBytes(forward)));
                if (response != null && response.isArray()) {
                    for (JsonNode answer : response) {
                        JsonNode id = answer.get("id");
                        if (id == null || !id.isIntegralNumber() || id.asInt() < 0
                                || id.asInt() >= forwardedIndex.size() || forwardedIndex.get(id.asInt()) < 0) {
                            continue;
                        }
                        int i = forwardedIndex.get(id.asInt());
                        ObjectNode mapped = ((ObjectNode) answer).deepCopy();
                        mapped.set("id", calls.get(i).get("id"));
                        answers[i] = mapped;
                        afterAnswer(route, outcomes[i], mapped);
                    }
                } else {
                    // The node refused the batch as a whole (one error object): every forwarded call gets it.
                    for (int i : forwardedIndex) {
                        if (i >= 0 && response != null && response.isObject()) {
                            ObjectNode mapped = ((ObjectNode) response).deepCopy();
                            mapped.set("id", calls.get(i).get("id"));
                            answers[i] = mapped;
                        }
                    }
                }
            } catch (AllUpstreamsFailed e) {
                for (int i : forwardedIndex) {
                    if (i >= 0) {
                        answers[i] = error(calls.get(i).get("id"), UPSTREAM_UNAVAILABLE,
                                "Node unavailable: every upstream failed");
                    }
                }
            } catch (JacksonException e) {
                for (int i : forwardedIndex) {
                    if (i >= 0) {
                        answers[i] = error(calls.get(i).get("id"), UPSTREAM_UNAVAILABLE,
                                "Node answered with malformed JSON");
                    }
                }
            }
        }
        ArrayNode result = json.createArrayNode();
        for (int i = 0; i < size; i++) {
            if (answers[i] != null) {
                result.add(answers[i]);
            } else if (outcomes[i] != null && calls.get(i).has("id")) {
                // Asked but the node did not answer this id: say so rather than drop it.
                result.add(error(calls.get(i).get("id"), UPSTREAM_UNAVAILABLE, "Node returned no answer"));
            }
        }
        return result.isEmpty() ? ok(new byte[0]) : ok(json.writeValueAsBytes(result));
    }

    /**
     * What to do with one call: answer it here (denied, malformed, cached) or forward it.
     *
     * @param answer       the answer when decided here
     * @param method       the method, for what happens after the node answered
     * @param params       its params as JSON text, the cache key
     * @param rule         its cache rule, if any
     * @param paramsNode   the params
     */
    private record Outcome(byte[] answer, String method, String params, CachePolicy.Rule rule, JsonNode paramsNode) {

        boolean needsAnswer() {
            return rule != null || "eth_blockNumber".equals(method) || HISTORY_REWRITING.contains(method);
        }
    }

    private Outcome prepare(RpcCaller caller, NodeRoute route, ObjectNode call) {
        JsonNode id = call.get("id");
        JsonNode methodNode = call.get("method");
        if (methodNode == null || !methodNode.isString() || !"2.0".equals(call.path("jsonrpc").asString(""))) {
            return new Outcome(json.writeValueAsBytes(error(id, INVALID_REQUEST, "Invalid Request")), null, null,
                    null, null);
        }
        String method = methodNode.asString();
        if (!policy.allows(method, caller.plan(), caller.internal())) {
            ObjectNode denied = error(id, METHOD_NOT_ALLOWED, "Method not allowed: " + method + " (namespace '"
                    + MethodPolicy.namespaceOf(method) + "' is not enabled for your plan)");
            return new Outcome(json.writeValueAsBytes(denied), method, null, null, null);
        }
        CachePolicy.Rule rule = cache.enabled() ? CachePolicy.ruleFor(method) : null;
        JsonNode params = call.get("params");
        String paramsText = params == null ? "[]" : params.toString();
        if (rule != null && CachePolicy.mayLookUp(rule, params, cache.safeHead(route.id()))) {
            String cached = cache.get(route.tenantId(), route.id(), method, paramsText);
            if (cached != null) {
                String idText = id == null ? "null" : id.toString();
                byte[] answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + idText + ",\"result\":" + cached + "}")
                        .getBytes(StandardCharsets.UTF_8);
                return new Outcome(answer, method, paramsText, rule, params);
            }
        }
        return new Outcome(null, method, paramsText, rule, params);
    }

    private void afterAnswer(NodeRoute route, Outcome outcome, JsonNode response) {
        if (outcome == null || outcome.method() == null || response.has("error")) {
            return;
        }
        JsonNode result = response.get("result");
        if ("eth_blockNumber".equals(outcome.method())) {
            long head = CachePolicy.quantity(result);
            if (head >= 0) {
                heads.observe(route.tenantId(), route.id(), head);
            }
        } else if (HISTORY_REWRITING.contains(outcome.method())) {
            heads.reorged(route.tenantId(), route.id(), outcome.method());
        }
        if (outcome.rule() != null
                && CachePolicy.mayStore(outcome.rule(), outcome.paramsNode(), result, cache.safeHead(route.id()))) {
            cache.put(route.tenantId(), route.id(), outcome.method(), outcome.params(), result.toString());
        }
    }

    private ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = json.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return response;
    }

    private static ResponseEntity<byte[]> ok(byte[] body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
