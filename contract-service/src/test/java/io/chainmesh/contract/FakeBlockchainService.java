package io.chainmesh.contract;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.web3j.crypto.TransactionDecoder;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.testing.AnvilProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A real HTTP server standing in for blockchain-service's internal API ({@code GET /internal/nodes/{id}},
 * {@code POST /internal/nodes/{id}/rpc}): it verifies the internal identity token, enforces node ownership (404 for
 * another tenant's node), answers 409 node_not_running for stopped nodes, and forwards JSON-RPC to the node's test
 * chain. {@link #refuseSends} makes a node answer {@code eth_sendRawTransaction} the way blockchain-service does when
 * every upstream of the node failed, to play a node that is unreachable while (some) transactions are being sent.
 * {@link #holdRpc} plays a slow node (requests wait until released) and {@link #rpcRequests} shows what arrived, single
 * calls and batches as sent. It is a server of its own rather than test-support's {@code HttpStandIn}, which keeps
 * every request it received: the suite's tracker and listeners send this one tens of thousands.
 */
public final class FakeBlockchainService {

    static final String IDENTITY_SECRET = "contract-test-identity-secret-0123456789abcdef";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Node(UUID tenantId, String status, AnvilProcess chain) {
    }

    private static FakeBlockchainService instance;

    private final HttpServer server;
    private final IdentityTokenCodec codec = new IdentityTokenCodec(IDENTITY_SECRET, Duration.ofSeconds(60), Clock.systemUTC());
    final Map<UUID, Node> nodes = new ConcurrentHashMap<>();
    private final Map<UUID, LongPredicate> refusingSends = new ConcurrentHashMap<>();
    private final Map<UUID, CountDownLatch> heldRpc = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> heldNow = new ConcurrentHashMap<>();
    private final Map<UUID, List<JsonNode>> rpcLog = new ConcurrentHashMap<>();

    private FakeBlockchainService(HttpServer server) {
        this.server = server;
    }

    public static synchronized FakeBlockchainService get() {
        if (instance == null) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
                instance = new FakeBlockchainService(server);
                server.createContext("/internal/nodes/", instance::handle);
                server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    UUID addNode(UUID tenantId) {
        return addNode(tenantId, TestChains.automining());
    }

    public UUID addNode(UUID tenantId, AnvilProcess chain) {
        UUID id = UUID.randomUUID();
        nodes.put(id, new Node(tenantId, "RUNNING", chain));
        return id;
    }

    /** Gives the node another status (blockchain-service answers 409 node_not_running for one not RUNNING). */
    public void setStatus(UUID nodeId, String status) {
        nodes.computeIfPresent(nodeId, (id, node) -> new Node(node.tenantId(), status, node.chain()));
    }

    /**
     * Until {@link #acceptSends}, submissions to the node of transactions whose nonce matches {@code nonces} fail as if
     * its upstream were down; everything else (reads, other nonces) still reaches the chain.
     */
    public void refuseSends(UUID nodeId, LongPredicate nonces) {
        refusingSends.put(nodeId, nonces);
    }

    public void acceptSends(UUID nodeId) {
        refusingSends.remove(nodeId);
    }

    /** Until {@link #releaseRpc}, JSON-RPC requests to the node wait before they are answered (a slow node). */
    public void holdRpc(UUID nodeId) {
        heldRpc.put(nodeId, new CountDownLatch(1));
    }

    public void releaseRpc(UUID nodeId) {
        CountDownLatch held = heldRpc.remove(nodeId);
        if (held != null) {
            held.countDown();
        }
    }

    /** How many JSON-RPC requests to the node are being held right now. */
    public int heldRequests(UUID nodeId) {
        AtomicInteger held = heldNow.get(nodeId);
        return held == null ? 0 : held.get();
    }

    /** Every JSON-RPC request body (a call or a batch) the node received, in arrival order. */
    public List<JsonNode> rpcRequests(UUID nodeId) {
        List<JsonNode> log = rpcLog.get(nodeId);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Identity identity;
            try {
                identity = codec.verify(exchange.getRequestHeaders().getFirst(Identity.HEADER));
            } catch (RuntimeException e) {
                reply(exchange, 401, "{\"code\":\"identity_invalid\"}");
                return;
            }
            if (!identity.hasScope("internal")) {
                reply(exchange, 403, "{\"code\":\"insufficient_scope\"}");
                return;
            }
            String[] parts = exchange.getRequestURI().getPath().split("/");
            UUID nodeId = UUID.fromString(parts[3]);
            Node node = nodes.get(nodeId);
            if (node == null || !node.tenantId().equals(identity.tenantId())) {
                reply(exchange, 404, "{\"code\":\"not_found\"}");
                return;
            }
            if (parts.length == 4 && exchange.getRequestMethod().equals("GET")) {
                reply(exchange, 200, """
                        {"id":"%s","tenantId":"%s","name":"test-node","protocol":"ethereum","network":"anvil",\
                        "chainId":%d,"status":"%s","driver":"external"}""".formatted(nodeId, node.tenantId(),
                        node.chain().chainId(), node.status()));
                return;
            }
            if (!node.status().equals("RUNNING")) {
                reply(exchange, 409, "{\"code\":\"node_not_running\"}");
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<JsonNode> log = rpcLog.computeIfAbsent(nodeId, k -> new ArrayList<>());
            synchronized (log) {
                log.add(JSON.readTree(body));
            }
            CountDownLatch held = heldRpc.get(nodeId);
            if (held != null) {
                AtomicInteger now = heldNow.computeIfAbsent(nodeId, k -> new AtomicInteger());
                now.incrementAndGet();
                try {
                    held.await();
                } finally {
                    now.decrementAndGet();
                }
            }
            LongPredicate refused = refusingSends.get(nodeId);
            if (refused != null) {
                JsonNode request = JSON.readTree(body);
                if (request.isObject() && isRefused(request, refused)) {
                    reply(exchange, 200, unavailable(request.path("id")));
                    return;
                }
                if (request.isArray()) {
                    // In a batch, as blockchain-service answers each call: refused ones fail, the others reach the chain.
                    ArrayNode forward = JSON.createArrayNode();
                    List<String> answers = new ArrayList<>();
                    for (JsonNode call : request) {
                        if (isRefused(call, refused)) {
                            answers.add(unavailable(call.path("id")));
                        } else {
                            forward.add(call);
                        }
                    }
                    if (!forward.isEmpty()) {
                        for (JsonNode answer : JSON.readTree(forward(node, JSON.writeValueAsBytes(forward)))) {
                            answers.add(answer.toString());
                        }
                    }
                    reply(exchange, 200, "[" + String.join(",", answers) + "]");
                    return;
                }
            }
            reply(exchange, 200, forward(node, body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String forward(Node node, byte[] body) {
        return node.chain().post(new String(body, StandardCharsets.UTF_8));
    }

    private static boolean isRefused(JsonNode call, LongPredicate refused) {
        return call.path("method").asString("").equals("eth_sendRawTransaction")
                && refused.test(TransactionDecoder.decode(call.path("params").path(0).asString()).getNonce().longValueExact());
    }

    /** blockchain-service's answer to a call when every upstream of the node failed (RpcProxy.UPSTREAM_UNAVAILABLE). */
    private static String unavailable(JsonNode id) {
        return """
                {"jsonrpc":"2.0","id":%s,"error":{"code":-32603,"message":"Node unavailable: every upstream failed"}}"""
                .formatted(id);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
