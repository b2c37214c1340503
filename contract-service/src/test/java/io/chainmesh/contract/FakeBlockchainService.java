package io.chainmesh.contract;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;

/**
 * A real HTTP server standing in for blockchain-service's internal API (brief: {@code GET /internal/nodes/{id}},
 * {@code POST /internal/nodes/{id}/rpc}): it verifies the internal identity token, enforces node ownership (404 for
 * another tenant's node), answers 409 node_not_running for stopped nodes, and forwards JSON-RPC to the test anvil.
 */
public final class FakeBlockchainService {

    static final String IDENTITY_SECRET = "contract-test-identity-secret-0123456789abcdef";

    record Node(UUID tenantId, String status) {
    }

    private static FakeBlockchainService instance;

    private final HttpServer server;
    private final IdentityTokenCodec codec = new IdentityTokenCodec(IDENTITY_SECRET, Duration.ofSeconds(60), Clock.systemUTC());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final Map<UUID, Node> nodes = new ConcurrentHashMap<>();

    private FakeBlockchainService(HttpServer server) {
        this.server = server;
    }

    static synchronized FakeBlockchainService get() {
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
        UUID id = UUID.randomUUID();
        nodes.put(id, new Node(tenantId, "RUNNING"));
        return id;
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
                        "chainId":31337,"status":"%s","driver":"external"}""".formatted(nodeId, node.tenantId(), node.status()));
                return;
            }
            if (!node.status().equals("RUNNING")) {
                reply(exchange, 409, "{\"code\":\"node_not_running\"}");
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpResponse<String> upstream = http.send(HttpRequest.newBuilder(URI.create(TestChain.url()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            reply(exchange, 200, upstream.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
