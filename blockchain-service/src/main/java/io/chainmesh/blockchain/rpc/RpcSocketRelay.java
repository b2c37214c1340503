package io.chainmesh.blockchain.rpc;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import io.chainmesh.blockchain.BlockchainProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One client socket relayed to one socket on one of the node's upstreams. Client frames are checked against the
 * {@link MethodPolicy} and priced one by one: a denied or malformed call is answered here with a JSON-RPC error and
 * never forwarded; the rest go to the node unchanged (a batch with denied calls is forwarded without them, and the
 * errors for those come back as a separate array; clients match answers by id). Whatever the node sends comes back
 * unchanged; {@code eth_subscription} notifications are counted as delivered. Subscriptions live on the node's
 * socket, so closing either side closes the other: the client reconnects and subscribes again.
 */
final class RpcSocketRelay implements WebSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(RpcSocketRelay.class);
    static final String NOTIFICATION = "eth_subscription";

    private final WebSocketSession client;
    private final RpcProxy.RpcCaller caller;
    private final MethodPolicy policy;
    private final BlockchainProperties.WebSocket config;
    private final WebSocketUsage.Meter meter;
    private final JsonMapper json;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket upstream;

    RpcSocketRelay(WebSocketSession client, RpcProxy.RpcCaller caller, MethodPolicy policy,
            BlockchainProperties.WebSocket config, WebSocketUsage.Meter meter, JsonMapper json) {
        this.client = client;
        this.caller = caller;
        this.policy = policy;
        this.config = config;
        this.meter = meter;
        this.json = json;
    }

    void attach(WebSocket upstream) {
        this.upstream = upstream;
    }

    WebSocketUsage.Meter meter() {
        return meter;
    }

    // ---- client -> node

    /** One complete text message from the client. */
    void fromClient(String text) {
        long bytes = text.length();
        JsonNode request;
        try {
            request = json.readTree(text);
        } catch (JacksonException e) {
            meter.call(null, config.defaultComputeUnits(), bytes);
            toClient(json.writeValueAsString(error(null, RpcProxy.PARSE_ERROR, "Parse error")));
            return;
        }
        if (request != null && request.isObject()) {
            ObjectNode refusal = check((ObjectNode) request, bytes);
            if (refusal == null) {
                toNode(text);
            } else if (request.has("id")) {
                toClient(json.writeValueAsString(refusal));
            }
            return;
        }
        if (request != null && request.isArray() && !request.isEmpty()) {
            ArrayNode forward = json.createArrayNode();
            ArrayNode refused = json.createArrayNode();
            long perCall = bytes / request.size();
            for (JsonNode call : request) {
                ObjectNode refusal = call.isObject() ? check((ObjectNode) call, perCall) : invalid(null, perCall);
                if (refusal == null) {
                    forward.add(call);
                } else if (!call.isObject() || call.has("id")) {
                    refused.add(refusal);
                }
            }
            if (forward.size() == request.size()) {
                toNode(text);
                return;
            }
            if (!forward.isEmpty()) {
                toNode(json.writeValueAsString(forward));
            }
            if (!refused.isEmpty()) {
                toClient(json.writeValueAsString(refused));
            }
            return;
        }
        toClient(json.writeValueAsString(invalid(null, bytes)));
    }

    /** Prices the call and returns the error to answer it with, or null to forward it. */
    private ObjectNode check(ObjectNode call, long bytes) {
        JsonNode id = call.get("id");
        JsonNode methodNode = call.get("method");
        if (methodNode == null || !methodNode.isString() || !"2.0".equals(call.path("jsonrpc").asString(""))) {
            return invalid(id, bytes);
        }
        String method = methodNode.asString();
        meter.call(method, config.computeUnitsOf(method), bytes);
        if (!policy.allows(method, caller.plan(), false)) {
            return error(id, RpcProxy.METHOD_NOT_ALLOWED, "Method not allowed: " + method + " (namespace '"
                    + MethodPolicy.namespaceOf(method) + "' is not enabled for your plan)");
        }
        return null;
    }

    private ObjectNode invalid(JsonNode id, long bytes) {
        meter.call(null, config.defaultComputeUnits(), bytes);
        return error(id, RpcProxy.INVALID_REQUEST, "Invalid Request");
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

    private void toNode(String text) {
        WebSocket node = upstream;
        if (node == null || closed.get()) {
            return;
        }
        try {
            // Tomcat hands us one client message at a time, and the JDK client allows one outstanding send:
            // waiting here keeps the order and gives the node's back-pressure to the client.
            synchronized (this) {
                node.sendText(text, true).get(config.sendTimeLimit().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("Sending to node {} failed: {}", meter.nodeId, e.toString());
            close(CloseStatus.SERVICE_RESTARTED.withReason("node connection lost"), true);
        }
    }

    // ---- node -> client

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (partial.length() > config.maxUpstreamMessageBytes().toBytes()) {
            partial.setLength(0);
            close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("node message too large"), true);
            return null;
        }
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            if (isNotification(message)) {
                meter.call(NOTIFICATION, config.notificationComputeUnits(), 0);
            }
            meter.delivered(message.length());
            toClient(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        // JSON-RPC is text; a node sending binary is passed on as text.
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return onText(webSocket, new String(bytes, StandardCharsets.UTF_8), last);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        close(CloseStatus.GOING_AWAY.withReason("node closed the connection"), false);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        log.debug("Node socket of {} failed: {}", meter.nodeId, error.toString());
        close(CloseStatus.SERVICE_RESTARTED.withReason("node connection lost"), false);
    }

    private boolean isNotification(String message) {
        // Cheap pre-check before parsing: answers to calls are far more common than notifications on most sockets.
        if (!message.contains(NOTIFICATION)) {
            return false;
        }
        try {
            JsonNode node = json.readTree(message);
            return node != null && node.isObject() && NOTIFICATION.equals(node.path("method").asString(null));
        } catch (JacksonException e) {
            return false;
        }
    }

    private void toClient(String message) {
        if (closed.get()) {
            return;
        }
        try {
            client.sendMessage(new TextMessage(message));
        } catch (IOException | RuntimeException e) {
            // A client that cannot keep up (send buffer or time limit) or went away: close both ends.
            log.debug("Sending to client failed: {}", e.toString());
            close(CloseStatus.SESSION_NOT_RELIABLE, true);
        }
    }

    // ---- closing

    /**
     * Closes both ends once.
     *
     * @param status   sent to the client
     * @param toNode   also close the node's socket (false when the node closed it)
     */
    void close(CloseStatus status, boolean toNode) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (client.isOpen()) {
                client.close(status);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Closing client socket failed: {}", e.toString());
        }
        closeNode(toNode);
    }

    /** The client closed: the node's socket goes too. */
    void clientClosed() {
        if (closed.compareAndSet(false, true)) {
            closeNode(true);
        }
    }

    private void closeNode(boolean sendClose) {
        WebSocket node = upstream;
        if (node == null) {
            return;
        }
        if (sendClose && !node.isOutputClosed()) {
            node.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((ws, e) -> node.abort());
        } else {
            node.abort();
        }
    }
}
