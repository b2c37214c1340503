package io.chainmesh.blockchain;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for tenant-service's {@code GET /internal/tenants/{id}/context} (another service, so not our code under
 * test): answers each tenant's plan limits as the test set them; unknown tenants are on the free plan (1 node).
 */
public final class FakeTenantService {

    private static final Map<UUID, Integer> MAX_NODES = new ConcurrentHashMap<>();
    private static HttpServer server;

    private FakeTenantService() {
    }

    public static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/internal/tenants/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                boolean authorized = exchange.getRequestHeaders().getFirst("X-Chainmesh-Identity") != null;
                String id = path.substring("/internal/tenants/".length(), path.lastIndexOf('/'));
                int maxNodes = MAX_NODES.getOrDefault(UUID.fromString(id), 1);
                byte[] body = ("{\"tenantId\":\"" + id + "\",\"status\":\"active\",\"plan\":\"free\",\"limits\":"
                        + "{\"requestsPerSecond\":10,\"burst\":20,\"monthlyComputeUnits\":3000000,\"maxNodes\":"
                        + maxNodes + ",\"maxWebhooks\":2}}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(authorized ? 200 : 401, authorized ? body.length : -1);
                if (authorized) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                exchange.close();
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static void allowNodes(UUID tenantId, int maxNodes) {
        MAX_NODES.put(tenantId, maxNodes);
    }
}
