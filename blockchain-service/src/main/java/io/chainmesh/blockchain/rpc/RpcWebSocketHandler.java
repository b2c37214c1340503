package io.chainmesh.blockchain.rpc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.rpc.NodeRoutes.NodeRoute;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON-RPC over WebSocket on {@code /v1/nodes/{id}/rpc}: once {@link RpcWebSocketHandshake} has admitted the
 * upgrade, opens a socket to the first of the node's upstreams whose breaker is not open (its HTTP URL with the
 * {@code ws}/{@code wss} scheme; anvil, geth and reth serve both on one port) and relays between the two
 * ({@link RpcSocketRelay}).
 */
@Component
class RpcWebSocketHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(RpcWebSocketHandler.class);
    private static final String RELAY = RpcSocketRelay.class.getName();

    private final MethodPolicy policy;
    private final UpstreamPools pools;
    private final WebSocketUsage usage;
    private final JsonMapper json;
    private final BlockchainProperties.WebSocket config;
    private final Duration connectTimeout;
    private final HttpClient http;

    RpcWebSocketHandler(MethodPolicy policy, UpstreamPools pools, WebSocketUsage usage, JsonMapper json,
            BlockchainProperties properties) {
        this.policy = policy;
        this.pools = pools;
        this.usage = usage;
        this.json = json;
        this.config = properties.rpc().webSocket();
        this.connectTimeout = properties.rpc().connectTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) throws Exception {
        RpcWebSocketHandshake.Admitted admitted = (RpcWebSocketHandshake.Admitted) raw.getAttributes()
                .get(RpcWebSocketHandshake.ADMITTED);
        if (admitted == null) {
            raw.close(CloseStatus.SERVER_ERROR);
            return;
        }
        if (!usage.tryOpen(admitted.caller().tenantId())) {
            raw.close(CloseStatus.POLICY_VIOLATION.withReason("too many open WebSockets for this tenant"));
            return;
        }
        WebSocketSession client = new ConcurrentWebSocketSessionDecorator(raw,
                (int) config.sendTimeLimit().toMillis(), (int) config.sendBufferBytes().toBytes());
        NodeRoute route = admitted.route();
        WebSocketUsage.Meter meter = new WebSocketUsage.Meter(route.tenantId(), route.id(),
                admitted.identity().keyId(), admitted.identity().principal(), admitted.monthlyQuota());
        RpcSocketRelay relay = new RpcSocketRelay(client, admitted.caller(), policy, config, meter, json);
        meter.onQuotaExhausted(() -> relay.close(
                CloseStatus.POLICY_VIOLATION.withReason("monthly compute-unit quota exhausted"), true));
        meter.onRevoked(reason -> relay.close(CloseStatus.POLICY_VIOLATION.withReason(reason), true));
        raw.getAttributes().put(RELAY, relay);
        usage.register(meter);
        WebSocket upstream = connect(route, relay);
        if (upstream == null) {
            relay.close(CloseStatus.SERVICE_OVERLOAD.withReason("node unavailable, retry shortly"), false);
            return;
        }
        relay.attach(upstream);
    }

    /** The first upstream that accepts a socket, trying those with an open breaker last; null if none did. */
    private WebSocket connect(NodeRoute route, RpcSocketRelay relay) {
        List<UpstreamPools.Upstream> upstreams = pools.poolFor(route.id(), route.upstreams()).upstreams();
        List<UpstreamPools.Upstream> ordered = new ArrayList<>(upstreams);
        ordered.sort(Comparator.comparing(u -> u.breaker().getState() == CircuitBreaker.State.OPEN));
        for (UpstreamPools.Upstream upstream : ordered) {
            URI uri = webSocketUri(upstream.uri());
            try {
                return http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(uri, relay)
                        .get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                log.debug("WebSocket to an upstream of node {} failed: {}", route.id(), e.toString());
            }
        }
        return null;
    }

    static URI webSocketUri(URI http) {
        String scheme = "https".equalsIgnoreCase(http.getScheme()) ? "wss" : "ws";
        String rest = http.toString().substring(http.getScheme().length());
        return URI.create(scheme + rest);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        RpcSocketRelay relay = (RpcSocketRelay) session.getAttributes().get(RELAY);
        if (relay != null) {
            relay.fromClient(message.getPayload());
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
        session.close(CloseStatus.NOT_ACCEPTABLE.withReason("JSON-RPC frames are text"));
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("Client socket failed: {}", exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        RpcSocketRelay relay = (RpcSocketRelay) session.getAttributes().remove(RELAY);
        if (relay == null) {
            return;
        }
        relay.clientClosed();
        usage.unregister(relay.meter());
        usage.closed(relay.meter().tenantId);
    }
}
